// Reads threshold expressions well enough to name the metric's report column, the limit in the
// metric's unit, and how far a value misses it. Canonical metric paths from src/metrics/thresholds.ts
// ("frame.p99 < 150", "playback.stallRatio < 0.01", "counts.framesLost == 0") are mapped exactly;
// looser text ("p99 frame latency < 150ms", "stall ratio < 1%") is matched by keywords.
import type { CellResult, ThresholdResult, ThresholdStatus } from '../../results/types.js';
import { thresholdStatus } from '../../metrics/thresholds.js';
import { columnByKey, type MetricUnit } from './columns.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ParsedThreshold {
  metric: string;
  op: Comparator;
  /** Limit as written (number before its unit). */
  limitRaw: number;
  /** The number exactly as the expression spells it, e.g. "0.02". */
  limitText: string;
  limitUnit: string;
  /** Limit converted to the metric's unit (ms, ratio 0..1, bytes, …). */
  limit: number;
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

interface Family {
  name: string;
  unit: MetricUnit;
  test: RegExp;
  statful: boolean;
}

const FAMILIES: readonly Family[] = [
  { name: 'lateness', unit: 'ms', test: /\blate(ness)?\b/, statful: true },
  { name: 'firstFrame', unit: 'ms', test: /first/, statful: true },
  { name: 'startup', unit: 'ms', test: /start\s*up/, statful: true },
  { name: 'stallRatio', unit: 'ratio', test: /stall/, statful: false },
  { name: 'bytesPerFrame', unit: 'bytes', test: /bytes?\s*per\s*frame|frame\s*size/, statful: false },
  { name: 'mbps', unit: 'Bps', test: /bytes?\s*(per\s*s|\/\s*s)|[kmg]?b\s*\/\s*s|mbps|bandwidth/, statful: false },
  { name: 'fps', unit: 'fps', test: /fps|frames?\s*(per\s*s|\/\s*s)|throughput/, statful: false },
  { name: 'lost', unit: 'count', test: /lost|loss|drop/, statful: false },
  { name: 'errors', unit: 'count', test: /error/, statful: false },
  { name: 'connect', unit: 'ms', test: /connect(?!ion)/, statful: true },
  { name: 'frame', unit: 'ms', test: /latency|frame|display/, statful: true },
];

const UNIT_FACTORS: Record<MetricUnit, Record<string, number>> = {
  ms: { '': 1, ms: 1, s: 1000, sec: 1000, us: 0.001, 'µs': 0.001, m: 60_000, min: 60_000 },
  ratio: { '': 1, '%': 0.01 },
  count: { '': 1 },
  fps: { '': 1, fps: 1, '/s': 1 },
  Bps: { '': 1, 'b/s': 1, 'kb/s': 1e3, 'mb/s': 1e6, 'gb/s': 1e9, kbps: 1e3, mbps: 1e6, gbps: 1e9 },
  bytes: { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9 },
};

const EXPR = /^(.*?)\s*(<=|>=|==|!=|<|>|=)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*([a-zµ%/]*)\s*$/i;
const PERCENTILE = /(?:^|[^a-z0-9])p(\d{2,3})(?:[._](\d+))?(?![0-9])/;

/** Normalises camelCase and separators: "firstFrame.p95" → "first frame p95". */
function words(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[_.\-:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function statOf(metric: string): string | undefined {
  const lower = metric.toLowerCase();
  const p = PERCENTILE.exec(lower);
  if (p) return p[2] === undefined ? `p${p[1]}` : `p${p[1]}${p[2]}`;
  if (/median/.test(lower)) return 'p50';
  const w = ` ${words(metric)} `;
  if (/ max(imum)? /.test(w)) return 'max';
  if (/ min(imum)? /.test(w)) return 'min';
  if (/ (mean|avg|average) /.test(w)) return 'mean';
  return undefined;
}

const LATENCY_GROUPS: Record<string, string> = { frame: 'frame', lateness: 'lateness', connect: 'connect', firstFrame: 'firstFrame', gap: 'gap', timeToDone: 'timeToDone', reconnect: 'reconnect' };
const STATS = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];
const EXACT: Record<string, { unit: MetricUnit; key?: string }> = {
  'playback.stallRatio': { unit: 'ratio', key: 'stallRatio' },
  'playback.stalls': { unit: 'count' },
  'playback.stallMs': { unit: 'ms' },
  'counts.framesLost': { unit: 'count', key: 'lost' },
  'counts.lossRatio': { unit: 'ratio' },
  'counts.errors': { unit: 'count', key: 'errors' },
  'counts.bytesReceived': { unit: 'bytes' },
  'throughput.framesPerSec': { unit: 'fps', key: 'fps' },
  'throughput.bytesPerSec': { unit: 'Bps', key: 'mbps' },
  'throughput.bytesPerFrame': { unit: 'bytes', key: 'bytesPerFrame' },
  'throughput.payloadBytesPerFrame': { unit: 'bytes', key: 'payloadBytesPerFrame' },
};

/** Unit and column of a canonical metric path, e.g. "frame.p99" or "playback.startupMs.p95". */
function exactMetric(path: string): { unit: MetricUnit; key?: string } | undefined {
  const exact = EXACT[path];
  if (exact) return exact;
  const parts = path.split('.');
  const [a = '', b = '', c] = parts;
  if (parts.length === 2 && a === 'counts') return { unit: 'count' };
  if (a === 'streams' && (b === 'deliveredFps' || b === 'framesPerRequest') && c !== undefined && STATS.includes(c) && parts.length === 3) return c === 'count' ? { unit: 'count' } : { unit: 'fps', key: `streams.${b}.${c}` };
  const summary = parts.length === 2 ? LATENCY_GROUPS[a] : a === 'playback' && b === 'startupMs' ? 'startup' : a === 'playback' && b === 'displayLatency' ? 'display' : undefined;
  const stat = parts.length === 2 ? b : c;
  if (summary === undefined || stat === undefined || !STATS.includes(stat) || parts.length > 3) return undefined;
  return stat === 'count' ? { unit: 'count' } : { unit: 'ms', key: `${summary}.${stat}` };
}

export function parseThreshold(expr: string): ParsedThreshold | undefined {
  const m = EXPR.exec(expr.trim());
  if (!m) return undefined;
  const [, metric = '', opText = '', numText = '', unitText = ''] = m;
  const op = (opText === '=' ? '==' : opText) as Comparator;
  const exact = exactMetric(metric.trim());
  if (exact) {
    const factor = UNIT_FACTORS[exact.unit][unitText.toLowerCase()];
    const limitRaw = Number(numText);
    const parsed: ParsedThreshold = { metric: metric.trim(), op, limitRaw, limitText: numText, limitUnit: unitText, limit: limitRaw * (factor ?? 1), unit: exact.unit };
    if (factor !== undefined && columnByKey(exact.key)) parsed.columnKey = exact.key;
    return parsed;
  }
  const family = FAMILIES.find((f) => f.test.test(words(metric)));
  if (!family) return undefined;
  const factor = UNIT_FACTORS[family.unit][unitText.toLowerCase()];
  const limitRaw = Number(numText);
  const stat = statOf(metric);
  const key = family.statful ? (stat ? `${family.name}.${stat}` : undefined) : family.name;
  const parsed: ParsedThreshold = {
    metric: metric.trim(),
    op,
    limitRaw,
    limitText: numText,
    limitUnit: unitText,
    limit: limitRaw * (factor ?? 1),
    unit: family.unit,
  };
  if (factor !== undefined && columnByKey(key)) parsed.columnKey = key;
  return parsed;
}

export function compare(value: number, op: Comparator, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

/**
 * The measured value in the metric's unit. A value reported in the expression's unit (e.g. percent
 * for "< 1%") is converted: judged by the cell's own value when it has one, else by `ok`, else by range.
 */
function measuredInUnit(t: ThresholdResult, parsed: ParsedThreshold, cell: CellResult): number | null {
  const fromCell = columnByKey(parsed.columnKey)?.value(cell) ?? null;
  if (t.value === null || !Number.isFinite(t.value)) return fromCell;
  if (parsed.limitRaw === 0 || parsed.limit === parsed.limitRaw) return t.value;
  const scaled = t.value * (parsed.limit / parsed.limitRaw);
  if (fromCell !== null) return Math.abs(scaled - fromCell) < Math.abs(t.value - fromCell) ? scaled : t.value;
  if (compare(t.value, parsed.op, parsed.limit) !== t.ok && compare(scaled, parsed.op, parsed.limit) === t.ok) return scaled;
  if (parsed.unit === 'ratio' && t.value > 1) return scaled;
  return t.value;
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
  const parsed = parseThreshold(t.expr);
  if (!parsed) return { ...base, measured: t.value, overPct: null };
  if (status === 'not_measured' || status === 'skipped') return { ...base, parsed, measured: null, overPct: null };
  const measured = measuredInUnit(t, parsed, cell);
  return { ...base, parsed, measured, overPct: overPercent(measured, parsed) };
}

/** The check fails the run: missed, or not measured. */
export function checkFailed(check: Pick<CheckView, 'status'>): boolean {
  return check.status === 'fail' || check.status === 'not_measured';
}
