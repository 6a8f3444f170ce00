// Thresholds on drift from a scenario's `drift:` map, e.g.
//   drift: { frame.p99: "< 20%", target.memory: "< 50MB/h", churn.reconnectsPerMin: "< 5" }
// "%" checks the change from the first to the last 10 % of the hold, "<unit>/h" (or "/h") the
// Theil–Sen slope per hour. Unsigned bounds compare the magnitude (|change|: a drift either way);
// a signed bound compares the signed value ("< +20%": rose less than 20 %; "> -10%": fell less than 10 %).
// With several sources of one metric (several scraped URLs) every one must hold. A metric that was
// not measured (not scraped, too little data, a zero baseline; churn without any open connection)
// fails as "not measured" with value null, unless the check is optional:
//   drift: { target.memory: { check: "< 50MB/h", optional: true } }  → skipped when not measured.
import type { ThresholdStatus } from '../results/types.js';
import { holds, OPERATORS, ThresholdSyntaxError, type Operator } from '../metrics/thresholds.js';
import type { DriftReport, DriftThresholdResult } from '../results/types.js';

export interface DriftThresholdSpec {
  metric: string;
  op: Operator;
  bound: number;
  /** What is compared: the change in %, the slope per hour (in the metric's unit), or reconnects/min. */
  quantity: 'changePct' | 'slopePerHour' | 'reconnectsPerMin';
  signed: boolean;
  /** Canonical text, e.g. "drift.frame.p99 < 20%". */
  expr: string;
  optional?: boolean;
}

/** Drift checks spelled wrong raise the same error as cell thresholds (field and detail). */
export { ThresholdSyntaxError as DriftThresholdError };

const UNITS: Record<string, string> = {
  'frame.p50': 'ms',
  'frame.p99': 'ms',
  framesPerSec: 'frames/s',
  connections: 'connections',
  'target.memory': 'MB',
  'target.connections': 'connections',
  'target.eventLoopLag': 'ms',
};
const CHURN = 'churn.reconnectsPerMin';
const MEMORY_SCALE: Record<string, number> = { b: 1e-6, kb: 1e-3, mb: 1, gb: 1e3 };
const CHECK = /^\s*(<=|>=|==|!=|<|>)\s*([-+]?)((?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(%|[a-z/]*\/h|\/min)?\s*$/i;

function unitScale(metric: string, unit: string): number | undefined {
  const per = unit.slice(0, -2).trim().toLowerCase();
  if (per === '') return 1;
  if (metric === 'target.memory') return MEMORY_SCALE[per];
  const own = UNITS[metric];
  return own !== undefined && per === own.toLowerCase() ? 1 : undefined;
}

function parseCheck(metric: string, raw: unknown, field: string): DriftThresholdSpec {
  const m = typeof raw === 'string' ? CHECK.exec(raw) : null;
  if (!m) {
    throw new ThresholdSyntaxError(field, `${JSON.stringify(raw)} is not a drift check; expected an operator (${OPERATORS.join(', ')}), a number and a unit: "< 20%" (change first→last 10 %) or "< 50MB/h" (slope per hour)`);
  }
  const [, op = '<', sign = '', num = '0', unit = ''] = m;
  const signedBound = Number(`${sign}${num}`);
  const base = { metric, op: op as Operator, signed: sign !== '' };
  if (metric === CHURN) {
    if (unit !== '' && unit !== '/min') throw new ThresholdSyntaxError(field, `reconnects per minute take no unit or "/min", got ${JSON.stringify(unit)}`);
    return { ...base, bound: signedBound, quantity: 'reconnectsPerMin', signed: true, expr: `drift.${metric} ${op} ${sign}${num}` };
  }
  if (unit === '%') return { ...base, bound: signedBound, quantity: 'changePct', expr: `drift.${metric} ${op} ${sign}${num}%` };
  if (unit.toLowerCase().endsWith('/h')) {
    const scale = unitScale(metric, unit);
    const own = UNITS[metric];
    if (scale === undefined) {
      const allowed = own === undefined ? '"/h" (the series\' own unit per hour)' : own === 'MB' ? '"B/h", "KB/h", "MB/h", "GB/h" or "/h"' : `"${own}/h" or "/h"`;
      throw new ThresholdSyntaxError(field, `unit ${JSON.stringify(unit)} does not fit ${metric}; use ${allowed}`);
    }
    return { ...base, bound: signedBound * scale, quantity: 'slopePerHour', expr: `drift.${metric} ${op} ${sign}${num}${unit}` };
  }
  throw new ThresholdSyntaxError(field, `${JSON.stringify(raw)} needs a unit: "%" for the change from the first to the last 10 % of the hold, or "${UNITS[metric] ?? ''}/h" for the slope per hour, e.g. "< 20%"`);
}

function checkMetric(metric: string, field: string): void {
  if (metric === CHURN || metric in UNITS || /^series\.[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) return;
  throw new ThresholdSyntaxError(field, `unknown drift metric ${JSON.stringify(metric)}; allowed: ${[...Object.keys(UNITS), 'series.<scraped metric name>', CHURN].join(', ')}`);
}

const CHECK_KEYS = ['check', 'optional'];

/** "< 20%" or { check: "< 20%", optional: true }. */
function parseEntry(metric: string, raw: unknown, field: string): DriftThresholdSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return parseCheck(metric, raw, field);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!CHECK_KEYS.includes(key)) throw new ThresholdSyntaxError(`${field}.${key}`, `unknown key; allowed: ${CHECK_KEYS.join(', ')}`);
  }
  if (obj.optional !== undefined && typeof obj.optional !== 'boolean') throw new ThresholdSyntaxError(`${field}.optional`, `expected true or false, got ${JSON.stringify(obj.optional)}`);
  const spec = parseCheck(metric, obj.check, `${field}.check`);
  return obj.optional ? { ...spec, optional: true } : spec;
}

/** Parses the scenario's `drift:` map (a check or a list of checks per metric); null/undefined means none. */
export function parseDriftThresholds(raw: unknown): DriftThresholdSpec[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ThresholdSyntaxError('drift', `expected a map of metric to check, e.g. { frame.p99: "< 20%" }, got ${JSON.stringify(raw)}`);
  }
  const out: DriftThresholdSpec[] = [];
  for (const [metric, checks] of Object.entries(raw as Record<string, unknown>)) {
    const field = `drift.${JSON.stringify(metric)}`;
    checkMetric(metric, field);
    if (Array.isArray(checks)) checks.forEach((c, i) => out.push(parseEntry(metric, c, `${field}[${i}]`)));
    else out.push(parseEntry(metric, checks, field));
  }
  return out;
}

type Measured = { values: number[] } | { reason: string };

function measured(spec: DriftThresholdSpec, report: DriftReport | undefined): Measured {
  if (!report) return { reason: 'no hold phase' };
  if (spec.quantity === 'reconnectsPerMin') {
    if (report.churn.connectionsMax === 0 || report.window.toSec <= report.window.fromSec) return { reason: 'no open connection in the hold' };
    return { values: [report.churn.reconnectsPerMin] };
  }
  const entries = report.metrics.filter((m) => m.metric === spec.metric);
  if (entries.length === 0) return { reason: spec.metric.startsWith('target.') || spec.metric.startsWith('series.') ? 'not scraped' : 'no data' };
  const insufficient = entries.find((m) => m.verdict === 'insufficient-data');
  if (insufficient) return { reason: `too little data: ${insufficient.points} point${insufficient.points === 1 ? '' : 's'} in the hold` };
  if (entries.some((m) => m.verdict === 'not-measured')) return { reason: 'zero baseline: 0 at the start of the hold' };
  return { values: entries.map((m) => (spec.signed ? m[spec.quantity as 'changePct' | 'slopePerHour'] : Math.abs(m[spec.quantity as 'changePct' | 'slopePerHour']))) };
}

/** One result per spec; value is the failing (or, when all hold, the closest-to-the-bound) measurement. */
export function evaluateDriftThresholds(specs: readonly DriftThresholdSpec[], report: DriftReport | undefined): DriftThresholdResult[] {
  return specs.map((spec) => {
    const base = { expr: spec.expr, metric: `drift.${spec.metric}`, op: spec.op, bound: spec.bound, ...(spec.optional ? { optional: true } : {}) };
    const m = measured(spec, report);
    if ('reason' in m) {
      const status: ThresholdStatus = spec.optional ? 'skipped' : 'not_measured';
      return { ...base, ok: status === 'skipped', value: null, status, reason: m.reason };
    }
    const failing = m.values.find((v) => !holds(v, spec.op, spec.bound));
    const closest = spec.op.startsWith('<') ? Math.max(...m.values) : spec.op.startsWith('>') ? Math.min(...m.values) : m.values[0];
    const ok = failing === undefined;
    return { ...base, ok, value: failing ?? closest ?? null, status: ok ? 'pass' : 'fail' };
  });
}
