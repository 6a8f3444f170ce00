// k6-style pass/fail thresholds, parsed from a scenario and evaluated against each cell.
//
// Map form:   thresholds: { "frame.p99": "< 150", "counts.framesLost": ["== 0"] }
// List form:  thresholds: [ { metric: frame.p99, check: "< 150", where: { format: webp } } ]
// `where` restricts a threshold to cells whose params match every key (a value or a list of
// values, compared as strings); a cell lacking the key does not match.
// Fail closed: a metric with no samples in the cell (0 frames, no request, no fault; see
// threshold-samples.ts) or that the cell does not carry is "not measured" and fails with value
// null. `optional: true` turns that into "skipped": shown as such, never as passed, and it does
// not fail the run. Spellings: list form `{ metric, check, optional: true }`; map form
// `"frame.p99": { check: "< 150", optional: true }` (also inside a list of checks).
import { ScenarioError } from '../errors.js';
import type { IngestCellResult } from './ingest-results.js';
import type { CellResult, ThresholdResult, ThresholdStatus } from './results-types.js';
import { sampleBasis } from './threshold-samples.js';
import { BROWSER_ALLOWED, browserValue, isBrowserMetric } from './browser-metrics.js';

export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];
type Scalar = string | number | boolean;

export interface ThresholdSpec {
  metric: string;
  op: Operator;
  bound: number;
  /** Canonical text, e.g. "frame.p99 < 150"; the `expr` of its ThresholdResult. */
  expr: string;
  where?: Record<string, Scalar[]>;
  /** Skipped (not failed) when not measured. */
  optional?: boolean;
}

export class ThresholdSyntaxError extends ScenarioError {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

const STATS = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
const LATENCY = ['frame', 'lateness', 'connect', 'firstFrame', 'reconnect', 'gap', 'timeToDone'] as const;
const STREAMS = ['deliveredFps', 'framesPerRequest'] as const;
const CHAOS_RECOVERY = ['p50', 'p99', 'max'] as const;
const COUNTS = [
  'framesExpected', 'framesReceived', 'framesLost', 'framesDuplicated', 'bytesReceived', 'requests',
  'requestsCompleted', 'connects', 'connectFailures', 'reconnects', 'errors', 'resumes', 'lossRatio',
  'messagesBinary', 'messagesText',
] as const;
const THROUGHPUT = ['framesPerSec', 'bytesPerSec', 'bytesPerFrame', 'payloadBytesPerFrame'] as const;
const PLAYBACK_SCALARS = ['stallRatio', 'stalls', 'stallMs'] as const;
const PLAYBACK_SUMMARIES = ['startupMs', 'displayLatency'] as const;

const INGEST_SUMMARIES = ['answerLag', 'sendLateness', 'ack', 'modelApi', 'batchSize', 'contextChars'] as const;
const INGEST_SCALARS = [
  'framesDue', 'framesSent', 'framesUnsent', 'framesCovered', 'framesDropped', 'framesLost', 'dropRatio', 'lossRatio',
  'answers', 'rateLimited', 'api429', 'retries', 'bufferDepthMax', 'contextCharsMax', 'bytesPerSecPerClient', 'budgetRatio',
  'lagDriftPct', 'lagRecoverSec',
] as const;

const alt = (xs: readonly string[]): string => `<${xs.join('|')}>`;
const ALLOWED_GROUPS: Record<string, string> = {
  frame: `frame.${alt(STATS)}`,
  lateness: `lateness.${alt(STATS)}`,
  connect: `connect.${alt(STATS)}`,
  firstFrame: `firstFrame.${alt(STATS)}`,
  playback: `playback.${alt(PLAYBACK_SCALARS)} or playback.${alt(PLAYBACK_SUMMARIES)}.${alt(STATS)}`,
  counts: `counts.${alt(COUNTS)}`,
  throughput: `throughput.${alt(THROUGHPUT)}`,
  reconnect: `reconnect.${alt(STATS)}`,
  gap: `gap.${alt(STATS)}`,
  timeToDone: `timeToDone.${alt(STATS)}`,
  streams: `streams.${alt(STREAMS)}.${alt(STATS)}`,
  chaos: `chaos.recoverSec.${alt(CHAOS_RECOVERY)} or chaos.unrecovered`,
  ingest: `ingest.${alt(INGEST_SUMMARIES)}.${alt(STATS)} or ingest.${alt(INGEST_SCALARS)}`,
  browser: BROWSER_ALLOWED,
};

const has = (xs: readonly string[], x: string | undefined): boolean => x !== undefined && xs.includes(x);

function metricError(metric: string): string | undefined {
  const [group, a, b, ...rest] = metric.split('.');
  const ok =
    rest.length === 0 &&
    (LATENCY.includes(group as (typeof LATENCY)[number])
      ? has(STATS, a) && b === undefined
      : group === 'playback'
        ? (has(PLAYBACK_SCALARS, a) && b === undefined) || (has(PLAYBACK_SUMMARIES, a) && has(STATS, b))
        : group === 'counts'
          ? has(COUNTS, a) && b === undefined
          : group === 'streams'
            ? has(STREAMS, a) && has(STATS, b)
          : group === 'ingest'
            ? (has(INGEST_SUMMARIES, a) && has(STATS, b)) || (has(INGEST_SCALARS, a) && b === undefined)
          : group === 'browser'
            ? isBrowserMetric(a, b)
          : group === 'chaos'
            ? (a === 'recoverSec' && has(CHAOS_RECOVERY, b)) || (a === 'unrecovered' && b === undefined)
            : group === 'throughput' && has(THROUGHPUT, a) && b === undefined);
  if (ok) return undefined;
  const known = group !== undefined ? ALLOWED_GROUPS[group] : undefined;
  const allowed = known ?? Object.values(ALLOWED_GROUPS).join(', ');
  return `unknown metric ${JSON.stringify(metric)}; allowed: ${allowed}`;
}

const CHECK = /^\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

function parseCheck(raw: unknown, field: string): { op: Operator; bound: number } {
  const m = typeof raw === 'string' ? CHECK.exec(raw) : null;
  if (!m) {
    throw new ThresholdSyntaxError(
      field,
      `${JSON.stringify(raw)} is not a check; expected an operator (${OPERATORS.join(', ')}) and a number, e.g. "< 150"`,
    );
  }
  return { op: m[1] as Operator, bound: Number(m[2]) };
}

function spec(metric: string, check: unknown, field: string, where?: Record<string, Scalar[]>, optional?: boolean): ThresholdSpec {
  const { op, bound } = parseCheck(check, field);
  const out: ThresholdSpec = { metric, op, bound, expr: `${metric} ${op} ${bound}` };
  if (where) out.where = where;
  if (optional) out.optional = true;
  return out;
}

function parseOptional(raw: unknown, field: string): boolean | undefined {
  if (raw === undefined || typeof raw === 'boolean') return raw;
  throw new ThresholdSyntaxError(field, `expected true or false, got ${JSON.stringify(raw)}`);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown): x is Scalar => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';

function parseWhere(raw: unknown, field: string): Record<string, Scalar[]> {
  if (!isObject(raw)) throw new ThresholdSyntaxError(field, 'expected a map of cell params to a value or a list of values, e.g. { format: webp }');
  const out: Record<string, Scalar[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every(isScalar)) {
      throw new ThresholdSyntaxError(`${field}.${key}`, `${JSON.stringify(value)} is not a string, number, boolean or a non-empty list of them`);
    }
    out[key] = values;
  }
  return out;
}

const ITEM_KEYS = ['metric', 'check', 'where', 'optional'];
const CHECK_KEYS = ['check', 'optional'];

/** A map-form check: "< 150" or { check: "< 150", optional: true }. */
function mapCheck(metric: string, raw: unknown, field: string): ThresholdSpec {
  if (!isObject(raw)) return spec(metric, raw, field);
  for (const key of Object.keys(raw)) {
    if (!CHECK_KEYS.includes(key)) throw new ThresholdSyntaxError(`${field}.${key}`, `unknown key; allowed: ${CHECK_KEYS.join(', ')} (use the list form for where)`);
  }
  return spec(metric, raw.check, `${field}.check`, undefined, parseOptional(raw.optional, `${field}.optional`));
}

function parseItem(raw: unknown, field: string): ThresholdSpec {
  if (!isObject(raw)) throw new ThresholdSyntaxError(field, `expected { metric, check, where?, optional? }, got ${JSON.stringify(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!ITEM_KEYS.includes(key)) throw new ThresholdSyntaxError(`${field}.${key}`, `unknown key; allowed: ${ITEM_KEYS.join(', ')}`);
  }
  if (typeof raw.metric !== 'string') throw new ThresholdSyntaxError(`${field}.metric`, `expected a metric path such as "frame.p99", got ${JSON.stringify(raw.metric)}`);
  const problem = metricError(raw.metric);
  if (problem) throw new ThresholdSyntaxError(`${field}.metric`, problem);
  const where = raw.where === undefined ? undefined : parseWhere(raw.where, `${field}.where`);
  return spec(raw.metric, raw.check, `${field}.check`, where, parseOptional(raw.optional, `${field}.optional`));
}

/** Parses the scenario's `thresholds` (map or list form; null/undefined means none). */
export function parseThresholds(raw: unknown): ThresholdSpec[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw.map((item, i) => parseItem(item, `thresholds[${i}]`));
  if (!isObject(raw)) {
    throw new ThresholdSyntaxError('thresholds', `expected a map of metric to check or a list of { metric, check, where? }, got ${JSON.stringify(raw)}`);
  }
  const out: ThresholdSpec[] = [];
  for (const [metric, checks] of Object.entries(raw)) {
    const field = `thresholds.${JSON.stringify(metric)}`;
    const problem = metricError(metric);
    if (problem) throw new ThresholdSyntaxError(field, problem);
    if (Array.isArray(checks)) checks.forEach((c, i) => out.push(mapCheck(metric, c, `${field}[${i}]`)));
    else out.push(mapCheck(metric, checks, field));
  }
  return out;
}

function matches(where: Record<string, Scalar[]> | undefined, params: CellResult['params']): boolean {
  if (!where) return true;
  return Object.entries(where).every(([key, values]) => key in params && values.some((v) => String(v) === String(params[key])));
}

/** The measured value of a metric path, or null when the cell does not carry it. */
export function metricValue(cell: CellResult, metric: string): number | null {
  const [group = '', a = '', b] = metric.split('.');
  let value: unknown;
  if (group === 'counts') value = cell.counts[a as keyof CellResult['counts']];
  else if (group === 'throughput') value = cell.throughput[a as keyof CellResult['throughput']];
  else if (group === 'streams') value = (cell.streams?.[a as (typeof STREAMS)[number]] as unknown as Record<string, unknown> | undefined)?.[b ?? ''];
  else if (group === 'ingest') value = cell.ingest ? ingestValue(cell.ingest, a, b) : undefined;
  else if (group === 'browser') value = browserValue(cell.browser, a, b);
  else if (group === 'chaos') value = a === 'unrecovered' ? cell.chaos?.unrecovered : (cell.chaos?.recoverSec as Record<string, unknown> | undefined)?.[b ?? ''];
  else if (group === 'playback') {
    const p = cell.playback as Record<string, unknown> | undefined;
    value = b === undefined ? p?.[a] : (p?.[a] as Record<string, unknown> | undefined)?.[b];
  } else value = (cell.latencyMs[group as keyof CellResult['latencyMs']] as unknown as Record<string, unknown> | undefined)?.[a];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Upload-cell metrics (see INGEST_SCALARS); a figure the cell could not measure is undefined. */
function ingestValue(g: IngestCellResult, a: string, b: string | undefined): unknown {
  if (b !== undefined) {
    const summary = a === 'batchSize' || a === 'contextChars' ? g[a] : (g.latencyMs as Record<string, unknown>)[a];
    const s = summary as Record<string, unknown> | undefined;
    return s && (b === 'count' || (s.count as number) > 0) ? s[b] : undefined;
  }
  const acc = g.accounting;
  const recovered = (g.recovery ?? []).map((r) => r.lagRecoverSec);
  const scalars: Record<string, unknown> = {
    framesDue: acc.due,
    framesSent: acc.sent,
    framesUnsent: acc.unsent,
    framesCovered: acc.covered,
    framesDropped: acc.dropped,
    framesLost: acc.lost,
    dropRatio: acc.sent > 0 ? acc.dropped / acc.sent : undefined,
    lossRatio: acc.sent > 0 ? acc.lost / acc.sent : undefined,
    answers: g.answers,
    rateLimited: g.serverErrors.rate_limited ?? 0,
    api429: g.server?.api429,
    retries: g.server?.retries,
    bufferDepthMax: g.server?.bufferDepthMax,
    contextCharsMax: g.server?.contextCharsMax ?? (g.contextChars.count > 0 ? g.contextChars.max : undefined),
    bytesPerSecPerClient: g.bandwidth.bytesPerSecPerClient,
    budgetRatio: g.bandwidth.budgetRatio,
    lagDriftPct: g.lagDrift && g.lagDrift.verdict !== 'insufficient-data' ? g.lagDrift.changePct : undefined,
    lagRecoverSec: recovered.length === 0 ? undefined : recovered.includes(null) ? undefined : Math.max(...(recovered as number[])),
  };
  return scalars[a];
}

export function holds(value: number, op: Operator, bound: number): boolean {
  switch (op) {
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    case '>=': return value >= bound;
    case '==': return value === bound;
    case '!=': return value !== bound;
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

const EXPR = /^(\S+) (<=|>=|==|!=|<|>) (\S+)$/;

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
  const m = EXPR.exec(result.expr);
  const bound = result.bound ?? Number(m?.[3]);
  const op = (result.op ?? m?.[2]) as Operator | undefined;
  if (result.ok || !op || !Number.isFinite(bound) || bound === 0) return measured;
  const pct = (Math.abs(result.value - bound) / Math.abs(bound)) * 100;
  if (op === '<' || op === '<=') return `${measured} (${pct.toFixed(1)}% over)`;
  if (op === '>' || op === '>=') return `${measured} (${pct.toFixed(1)}% under)`;
  return measured;
}
