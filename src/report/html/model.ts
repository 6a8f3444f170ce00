// The view model behind every section: which params vary, a readable label per cell, every
// threshold check evaluated, failures grouped by expression, and harness-saturation flags.
import { readSaturation, type Saturation } from '../../metrics/saturation.js';
import { cellLabel, orderParamKeys, varyingKeys, type ParamValue } from '../../text/cell-labels.js';
import type { CellResult, Results } from '../../results/types.js';
import { checkFailed, evaluateCheck, type CheckView } from './threshold-match.js';

export interface CellView {
  cell: CellResult;
  index: number;
  label: string;
  params: Record<string, ParamValue>;
  checks: CheckView[];
  /** Failing checks by the report column they map to. */
  failingColumns: Map<string, CheckView[]>;
  saturated: Saturation | undefined;
}

export interface ThresholdGroup {
  expr: string;
  total: number;
  failed: Array<{ view: CellView; check: CheckView }>;
  /** Optional checks that were not measured: neither passed nor failed. */
  skipped: Array<{ view: CellView; check: CheckView }>;
  /** The check closest to (or furthest past) the limit. */
  worst?: { view: CellView; check: CheckView };
}

export interface ReportModel {
  results: Results;
  title: string;
  cells: CellView[];
  /** Params whose value differs between cells, in display order. */
  varying: string[];
  fixed: Array<[string, ParamValue]>;
  groups: ThresholdGroup[];
  saturated: Saturation | undefined;
}

function cellParams(cell: CellResult): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = { ...(cell.params ?? {}) };
  if (cell.repeat !== undefined) params.repeat = cell.repeat;
  return params;
}

function scenarioTitle(results: Results): string {
  const name = results.scenario?.name;
  return typeof name === 'string' && name.trim() !== '' ? name : results.runId;
}

export function buildModel(results: Results): ReportModel {
  const all = (results.cells ?? []).map(cellParams);
  const keys = orderParamKeys(all.flatMap((p) => Object.keys(p)));
  const varying = orderParamKeys(varyingKeys(all));
  const fixed: Array<[string, ParamValue]> = [];
  for (const k of keys) {
    const v = all[0]?.[k];
    if (!varying.includes(k) && v !== undefined) fixed.push([k, v]);
  }

  const cells: CellView[] = (results.cells ?? []).map((cell, index) => {
    const params = all[index] ?? {};
    const checks = (cell.thresholds ?? []).map((t) => evaluateCheck(t, cell));
    const failingColumns = new Map<string, CheckView[]>();
    for (const c of checks) {
      const key = c.parsed?.columnKey;
      if (!checkFailed(c) || key === undefined) continue;
      failingColumns.set(key, [...(failingColumns.get(key) ?? []), c]);
    }
    const label = cellLabel(params, varying, cell.id);
    return { cell, index, label, params, checks, failingColumns, saturated: readSaturation(cell) };
  });

  const byExpr = new Map<string, ThresholdGroup>();
  for (const view of cells) {
    for (const check of view.checks) {
      const group = byExpr.get(check.expr) ?? { expr: check.expr, total: 0, failed: [], skipped: [] };
      group.total++;
      if (checkFailed(check)) group.failed.push({ view, check });
      if (check.status === 'skipped') {
        group.skipped.push({ view, check });
        byExpr.set(check.expr, group);
        continue;
      }
      if (!group.worst || (check.overPct ?? -Infinity) > (group.worst.check.overPct ?? -Infinity)) group.worst = { view, check };
      byExpr.set(check.expr, group);
    }
  }
  for (const g of byExpr.values()) {
    // Not measured first (nothing to compare), then by how far past the limit.
    const rank = (c: CheckView): number => (c.status === 'not_measured' ? 1 : 0);
    g.failed.sort((a, b) => rank(b.check) - rank(a.check) || (b.check.overPct ?? -Infinity) - (a.check.overPct ?? -Infinity));
    if (g.failed[0]) g.worst = g.failed[0];
  }

  return {
    results,
    title: scenarioTitle(results),
    cells,
    varying,
    fixed,
    groups: [...byExpr.values()],
    saturated: readSaturation(results),
  };
}

/** The limit of the first "<" / "<=" threshold on a report column, if any. */
export function columnLimit(model: ReportModel, key: string): { limit: number; expr: string } | undefined {
  for (const v of model.cells) {
    for (const c of v.checks) {
      if (c.parsed?.columnKey === key && (c.parsed.op === '<' || c.parsed.op === '<=')) return { limit: c.parsed.limit, expr: c.expr };
    }
  }
  return undefined;
}

/** Distinct values of a param across cells: numbers ascending, resolutions by pixel count, others in first-seen order. */
export function distinctValues(model: ReportModel, key: string): ParamValue[] {
  const seen: ParamValue[] = [];
  for (const v of model.cells) {
    const p = v.params[key];
    if (p !== undefined && !seen.includes(p)) seen.push(p);
  }
  if (seen.every((v) => typeof v === 'number')) return [...seen].sort((a, b) => Number(a) - Number(b));
  if (key === 'resolution') return [...seen].sort((a, b) => pixels(String(a)) - pixels(String(b)));
  return seen;
}

function pixels(resolution: string): number {
  const wxh = /^(\d+)x(\d+)$/.exec(resolution);
  if (wxh) return Number(wxh[1]) * Number(wxh[2]);
  const p = /^(\d+)p$/.exec(resolution);
  return p ? (Number(p[1]) ** 2 * 16) / 9 : Number.MAX_SAFE_INTEGER;
}
