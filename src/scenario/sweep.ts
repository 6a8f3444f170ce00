// Sweep axes: validation of every axis value, and expansion of a scenario into its cells (the plan).
import { ScenarioError } from '../errors.js';
import { idToken } from '../text/cell-labels.js';
import { formatIssues } from './format-issues.js';
import { CELL_FIELD_NAMES, cellFields, type CellFieldName, type CellParams, type Scenario } from './schema.js';

export interface CellPlan {
  /** Stable identifier built from the swept values, e.g. "webp-480p-buf5". */
  id: string;
  index: number;
  repeat: number;
  params: CellParams;
  /** Only the swept fields and their values for this cell. */
  axes: Partial<CellParams>;
}

const isCellField = (k: string): k is CellFieldName => (CELL_FIELD_NAMES as string[]).includes(k);

/** Most cells one scenario may expand to (sweep axes × repeat). */
export const MAX_CELLS = 10_000;

/** Cells the sweep would make, computed from the axis lengths (nothing is expanded). */
export function cellCount(scenario: Pick<Scenario, 'sweep' | 'repeat'>): number {
  return Object.values(scenario.sweep ?? {}).reduce((n, values) => n * values.length, 1) * scenario.repeat;
}

export function validateSweep(file: string, scenario: Scenario): void {
  const cells = cellCount(scenario);
  if (cells > MAX_CELLS) {
    const axes = Object.entries(scenario.sweep ?? {}).map(([k, v]) => `${k.slice(0, 40)} ${v.length}`);
    const shown = cells < 1e15 ? String(cells) : cells.toExponential(2);
    throw new ScenarioError(`${file}: sweep: the sweep would make ${shown} cells (${[...axes, `repeat ${scenario.repeat}`].join(' × ')}); at most ${MAX_CELLS}: split it into several scenarios or drop axes`);
  }
  for (const [axis, values] of Object.entries(scenario.sweep ?? {})) {
    if (!isCellField(axis)) {
      throw new ScenarioError(`${file}: sweep.${axis}: not a field that can be swept; allowed: ${CELL_FIELD_NAMES.join(', ')}`);
    }
    values.forEach((value, i) => {
      const r = cellFields[axis].safeParse(value, { reportInput: true });
      if (!r.success) throw new ScenarioError(formatIssues(file, r.error.issues, ['sweep', axis, i]));
    });
  }
}

export function baseParams(s: Scenario): CellParams {
  const out: Record<string, unknown> = {};
  for (const k of CELL_FIELD_NAMES) out[k] = s[k];
  return out as CellParams;
}

export function cellId(axes: Partial<CellParams>): string {
  const parts = Object.entries(axes).map(([k, v]) => idToken(k, v));
  return parts.length ? parts.join('-') : 'default';
}

/** Cartesian product of the sweep axes (first axis varies slowest), each repeated `repeat` times. */
export function planCells(s: Scenario): CellPlan[] {
  const base = baseParams(s);
  const axes = Object.entries(s.sweep ?? {}) as Array<[CellFieldName, unknown[]]>;
  let combos: Array<Partial<CellParams>> = [{}];
  for (const [axis, values] of axes) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: cellFields[axis].parse(v) })));
  }
  const plans: CellPlan[] = [];
  for (const combo of combos) {
    for (let r = 0; r < s.repeat; r++) {
      plans.push({ id: cellId(combo), index: plans.length, repeat: r, params: { ...base, ...combo } as CellParams, axes: combo });
    }
  }
  return plans;
}
