// Pairs the cells of two results files: by the values of the swept axes (params that differ between
// cells of either file, or are listed in either scenario's `sweep`), falling back to the cell id;
// params that are fixed within each file but differ between them (clients, duration …) are reported.
import type { CellResult, Results } from '../results/types.js';
import { cellLabel as labelOf, varyingKeys } from '../text/cell-labels.js';

export interface CellPair {
  key: string;
  label: string;
  base: CellResult;
  head: CellResult;
  matchedBy: 'params' | 'id';
}

export interface ParamChange {
  param: string;
  base: string;
  head: string;
}

export interface CellMatch {
  axes: string[];
  pairs: CellPair[];
  /** Cells only in the head file. */
  added: CellResult[];
  /** Cells only in the base file. */
  removed: CellResult[];
  /** Params fixed within each file whose value differs between the files. */
  fixedChanges: ParamChange[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function varyingParams(cells: readonly CellResult[]): string[] {
  return varyingKeys(cells.map((c) => c.params ?? {}));
}

function sweepAxes(results: Results): string[] {
  const sweep = results.scenario?.sweep;
  return sweep && typeof sweep === 'object' && !Array.isArray(sweep) ? Object.keys(sweep) : [];
}

function presentIn(cells: readonly CellResult[], key: string): boolean {
  return cells.length > 0 && cells.every((c) => c.params?.[key] !== undefined);
}

/** Axes both files can be matched on, in first-seen order. */
export function matchAxes(base: Results, head: Results): string[] {
  const candidates = [...new Set([...sweepAxes(base), ...sweepAxes(head), ...varyingParams(base.cells), ...varyingParams(head.cells)])];
  return candidates.filter((k) => k !== 'repeat' && presentIn(base.cells, k) && presentIn(head.cells, k));
}

export function cellLabel(cell: CellResult, axes: readonly string[]): string {
  return labelOf(cell.params ?? {}, axes, cell.id);
}

function indexBy(cells: readonly CellResult[], keyOf: (c: CellResult) => string): Map<string, CellResult[]> {
  const map = new Map<string, CellResult[]>();
  for (const c of cells) map.set(keyOf(c), [...(map.get(keyOf(c)) ?? []), c]);
  return map;
}

function pairUnique(base: readonly CellResult[], head: readonly CellResult[], keyOf: (c: CellResult) => string): { pairs: Array<[string, CellResult, CellResult]>; base: CellResult[]; head: CellResult[] } {
  const b = indexBy(base, keyOf);
  const h = indexBy(head, keyOf);
  const pairs: Array<[string, CellResult, CellResult]> = [];
  const used = new Set<CellResult>();
  for (const [key, list] of b) {
    const other = h.get(key);
    if (list.length === 1 && other?.length === 1) {
      pairs.push([key, list[0]!, other[0]!]);
      used.add(list[0]!).add(other[0]!);
    }
  }
  return { pairs, base: base.filter((c) => !used.has(c)), head: head.filter((c) => !used.has(c)) };
}

function fixedChanges(base: Results, head: Results, axes: readonly string[]): ParamChange[] {
  const keys = new Set([...base.cells, ...head.cells].flatMap((c) => Object.keys(c.params ?? {})));
  const out: ParamChange[] = [];
  for (const k of keys) {
    if (axes.includes(k)) continue;
    const b = new Set(base.cells.map((c) => JSON.stringify(c.params?.[k] ?? null)));
    const h = new Set(head.cells.map((c) => JSON.stringify(c.params?.[k] ?? null)));
    if (b.size === 1 && h.size === 1 && !same([...b], [...h])) out.push({ param: k, base: fromJson([...b][0]!), head: fromJson([...h][0]!) });
  }
  return out;
}

function fromJson(text: string): string {
  const v = JSON.parse(text) as unknown;
  return v === null ? '(unset)' : String(v);
}

export function matchCells(base: Results, head: Results): CellMatch {
  const axes = matchAxes(base, head);
  const byParams = pairUnique(base.cells, head.cells, (c) => JSON.stringify(axes.map((k) => c.params?.[k] ?? null)));
  const byId = pairUnique(byParams.base, byParams.head, (c) => c.id);
  const pairs: CellPair[] = [...byParams.pairs.map(([, b, h]) => ({ b, h, matchedBy: 'params' as const })), ...byId.pairs.map(([, b, h]) => ({ b, h, matchedBy: 'id' as const }))].map(({ b, h, matchedBy }) => ({
    key: b.id === h.id ? b.id : `${b.id}→${h.id}`,
    label: cellLabel(h, axes),
    base: b,
    head: h,
    matchedBy,
  }));
  const order = new Map(head.cells.map((c, i) => [c, i]));
  pairs.sort((x, y) => (order.get(x.head) ?? 0) - (order.get(y.head) ?? 0));
  return { axes, pairs, added: byId.head, removed: byId.base, fixedChanges: fixedChanges(base, head, axes) };
}
