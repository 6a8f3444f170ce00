// Evaluates parsed thresholds (src/metrics/threshold-parse.ts) against each cell, fail closed: a
// metric with no samples in the cell (0 frames, no request, no fault; see threshold-samples.ts) or
// that the cell does not carry is "not measured" and fails with value null; an optional one is
// "skipped" instead: shown as such, never as passed, and it does not fail the run.
import type { CellResult, ThresholdResult, ThresholdStatus } from '../results/types.js';
import { metricValue } from './catalogue.js';
import { thresholdFields, type Operator, type Scalar, type ThresholdSpec } from './threshold-parse.js';
import { sampleBasis } from './threshold-samples.js';

export { metricValue } from './catalogue.js';
export { OPERATORS, ThresholdSyntaxError, parseThresholds, thresholdFields, type Operator, type ThresholdSpec } from './threshold-parse.js';

function matches(where: Record<string, Scalar[]> | undefined, params: CellResult['params']): boolean {
  if (!where) return true;
  return Object.entries(where).every(([key, values]) => key in params && values.some((v) => String(v) === String(params[key])));
}

export function holds(value: number, op: Operator, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '==':
      return value === bound;
    case '!=':
      return value !== bound;
  }
}

/** One spec against one cell: pass / fail on a measured value, else not_measured (or skipped when optional). */
export function evaluateThreshold(s: ThresholdSpec, cell: CellResult): ThresholdResult {
  const basis = sampleBasis(cell, s.metric);
  const measured = basis.n > 0 ? metricValue(cell, s.metric) : null;
  const base = { expr: s.expr, metric: s.metric, op: s.op, bound: s.bound, ...(s.where ? { where: s.where } : {}), ...(s.optional ? { optional: true } : {}) };
  if (measured === null) {
    // Faults were judged but none recovered: recovery time has no value, and that is a failure.
    if (basis.n > 0 && (s.metric.startsWith('chaos.recoverSec') || s.metric === 'ingest.lagRecoverSec')) return { ...base, ok: false, value: null, status: 'fail', reason: 'no fault recovered' };
    const status: ThresholdStatus = s.optional ? 'skipped' : 'not_measured';
    return { ...base, ok: status === 'skipped', value: null, status, reason: basis.n > 0 ? 'not in the results' : `0 ${basis.what}` };
  }
  const ok = holds(measured, s.op, s.bound);
  return { ...base, ok, value: measured, status: ok ? 'pass' : 'fail' };
}

/** Results for the specs that apply to this cell (by `where`), in spec order. */
export function evaluateThresholds(specs: readonly ThresholdSpec[], cell: CellResult): ThresholdResult[] {
  return specs.filter((s) => matches(s.where, cell.params)).map((s) => evaluateThreshold(s, cell));
}

/** The status of a result, also for results files written before `status` existed. */
export function thresholdStatus(t: Pick<ThresholdResult, 'ok' | 'value' | 'status'>): ThresholdStatus {
  if (t.status) return t.status;
  return t.ok ? 'pass' : t.value === null ? 'not_measured' : 'fail';
}

/** True when the result fails the run: a missed check or a metric not measured. */
export function thresholdFailed(t: Pick<ThresholdResult, 'ok' | 'value' | 'status'>): boolean {
  const status = thresholdStatus(t);
  return status === 'fail' || status === 'not_measured';
}

/** Compact number text: integers as is, otherwise up to 4 significant digits below 1 and 1–2 decimals above. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  const text = abs >= 100 ? x.toFixed(1) : abs >= 1 ? x.toFixed(2) : x.toPrecision(4);
  return String(Number(text));
}

/**
 * One line per result: "frame.p99 < 150: measured 212.4 (41.6% over)",
 * "frame.p99 < 150: not measured (0 frames)", "frame.p99 < 150: skipped: not measured (0 frames), optional".
 */
export function describeThreshold(result: ThresholdResult): string {
  const status = thresholdStatus(result);
  const why = result.reason ? ` (${result.reason})` : '';
  if (status === 'skipped') return `${result.expr}: skipped: not measured${why}, optional`;
  if (result.value === null) return status === 'fail' && result.reason ? `${result.expr}: ${result.reason}` : `${result.expr}: not measured${why}`;
  const measured = `${result.expr}: measured ${formatNumber(result.value)}`;
  const fields = thresholdFields(result);
  if (result.ok || !fields || fields.bound === 0) return measured;
  const { op, bound } = fields;
  const pct = (Math.abs(result.value - bound) / Math.abs(bound)) * 100;
  if (op === '<' || op === '<=') return `${measured} (${pct.toFixed(1)}% over)`;
  if (op === '>' || op === '>=') return `${measured} (${pct.toFixed(1)}% under)`;
  return measured;
}
