// The report's view of a threshold result: the metric's unit and report column from the metric
// catalogue, the limit, the measured value and how far it misses. Results store each threshold's
// metric, operator and bound (src/metrics/threshold-parse.ts); nothing here parses a threshold.
import { metricDef, REPORT_COLUMNS, type MetricUnit } from '../../metrics/catalogue.js';
import { thresholdFields, thresholdStatus, type Operator } from '../../metrics/thresholds.js';
import type { CellResult, ThresholdResult, ThresholdStatus } from '../../results/types.js';
import { columnByKey } from './columns.js';

export type Comparator = Operator;

export interface ParsedThreshold {
  metric: string;
  op: Comparator;
  /** The bound in the metric's unit (ms, ratio 0..1, bytes, …). */
  limit: number;
  /** The bound as the threshold's text spells it, e.g. "0.02". */
  limitText: string;
  unit: MetricUnit;
  /** Report column the metric maps to, when the table shows it. */
  columnKey?: string;
}

export interface CheckView {
  expr: string;
  ok: boolean;
  status: ThresholdStatus;
  /** Why it was not measured, e.g. "0 frames". */
  reason?: string;
  parsed?: ParsedThreshold;
  /** Measured value in the metric's unit. */
  measured: number | null;
  /** How far past the limit, in percent of the limit (positive = worse); null when not meaningful. */
  overPct: number | null;
}

const COLUMN_OF = new Map(REPORT_COLUMNS.map(([path, view]) => [path, view.key]));

/** The view of a threshold result; undefined for a metric outside the catalogue (drift, foreign text). */
export function thresholdView(t: Pick<ThresholdResult, 'expr' | 'metric' | 'op' | 'bound'>): ParsedThreshold | undefined {
  const fields = thresholdFields(t);
  const def = fields && metricDef(fields.metric);
  if (!fields || !def) return undefined;
  const parsed: ParsedThreshold = { metric: fields.metric, op: fields.op, limit: fields.bound, limitText: String(fields.bound), unit: def.unit };
  const key = COLUMN_OF.get(fields.metric);
  if (key !== undefined) parsed.columnKey = key;
  return parsed;
}

/** The view of a canonical threshold text, e.g. "frame.p99 < 150" (as results store `expr`). */
export function parseThreshold(expr: string): ParsedThreshold | undefined {
  return thresholdView({ expr });
}

export function overPercent(measured: number | null, parsed: ParsedThreshold): number | null {
  if (measured === null || parsed.limit === 0) return null;
  const base = Math.abs(parsed.limit);
  if (parsed.op === '<' || parsed.op === '<=') return ((measured - parsed.limit) / base) * 100;
  if (parsed.op === '>' || parsed.op === '>=') return ((parsed.limit - measured) / base) * 100;
  return null;
}

export function evaluateCheck(t: ThresholdResult, cell: CellResult): CheckView {
  const status = thresholdStatus(t);
  const base = { expr: t.expr, ok: t.ok, status, ...(t.reason ? { reason: t.reason } : {}) };
  const parsed = thresholdView(t);
  if (!parsed) return { ...base, measured: t.value, overPct: null };
  if (status === 'not_measured' || status === 'skipped') return { ...base, parsed, measured: null, overPct: null };
  const measured = t.value !== null && Number.isFinite(t.value) ? t.value : (columnByKey(parsed.columnKey)?.value(cell) ?? null);
  return { ...base, parsed, measured, overPct: overPercent(measured, parsed) };
}

/** The check fails the run: missed, or not measured. */
export function checkFailed(check: Pick<CheckView, 'status'>): boolean {
  return check.status === 'fail' || check.status === 'not_measured';
}
