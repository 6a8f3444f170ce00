// The metric catalogue: every per-cell metric framebench judges or shows, with its canonical path
// (the threshold grammar), unit, which direction is better, label, how to read it from a cell, and
// whether and how the report table and `bench diff` show it. Thresholds, report columns, threshold
// views in the report and diff all read this one list: a new metric is added here.
//
//   <summary>.<stat>   a distribution (frame, lateness, connect, firstFrame, reconnect, gap, timeToDone,
//                      playback.startupMs, playback.displayLatency, streams.*, ingest.<distribution>)
//   <scalar path>      counts.*, throughput.*, playback.stall*, chaos.*, ingest.<figure>, browser.<figure>
//                      (browser.<decode|paint|frame>.<stat> are distributions)
import type { CellResult, LatencySummary, TimeseriesPoint } from '../results/types.js';
import { BROWSER_SCALARS, BROWSER_SUMMARIES, browserScalar, browserSummary } from './catalogue-browser.js';
import { INGEST_SCALARS, INGEST_SUMMARIES, ingestScalar, ingestSummary } from './catalogue-ingest.js';

import type { Better, MetricUnit } from './metric-units.js';

export type { Better, MetricUnit } from './metric-units.js';

export const STATS = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
export type Stat = (typeof STATS)[number];

/** A family of distribution metrics, one path per statistic: `frame.p99`, `playback.startupMs.p95`. */
interface Summary {
  path: string;
  /** Words before the statistic: "frame latency" → "frame latency p99". */
  label: string;
  unit: MetricUnit;
  better: Better;
  read(cell: CellResult): LatencySummary | undefined;
  /** Without samples its statistics are absent (not 0): frame latency needs a server timestamp. */
  blankWithoutSamples?: true;
}

interface Scalar {
  path: string;
  label: string;
  unit: MetricUnit;
  better: Better;
  read(cell: CellResult): unknown;
}

/** A report table column of a metric. `key` names it in the page (and in its tests). */
export interface ColumnView {
  key: string;
  group: string;
  header: string;
  /** Defaults to the metric's label, capitalised. */
  title?: string;
  /** Shown only when some cell has a value (metrics not every protocol gives). */
  optional?: true;
}

/**
 * How `bench diff` compares a metric. noise: window (per-second values), repeat (per-repeat values
 * with ≥ MIN_REPEATS repeats) or count (judged by the change alone); floor: changes smaller than this,
 * in the metric's unit, are unchanged whatever their percentage.
 */
export interface DiffView {
  noise: 'window' | 'repeat' | 'count';
  floor: number;
  window?(point: TimeseriesPoint): number | null;
}

/** One concrete metric path with everything its readers need. */
export interface MetricDef {
  path: string;
  label: string;
  unit: MetricUnit;
  better: Better;
  /** The cell's value; null when the cell does not carry it (or, for blank-without-samples metrics, has no samples). */
  value(cell: CellResult): number | null;
}

const LAT =
  (name: keyof CellResult['latencyMs']) =>
  (c: CellResult): LatencySummary | undefined =>
    c.latencyMs[name];

const SUMMARIES: readonly Summary[] = [
  { path: 'frame', label: 'frame latency', unit: 'ms', better: 'lower', read: LAT('frame'), blankWithoutSamples: true },
  { path: 'lateness', label: 'lateness', unit: 'ms', better: 'lower', read: LAT('lateness') },
  { path: 'connect', label: 'connect time', unit: 'ms', better: 'lower', read: LAT('connect') },
  { path: 'firstFrame', label: 'first frame', unit: 'ms', better: 'lower', read: LAT('firstFrame') },
  { path: 'reconnect', label: 'reconnect time', unit: 'ms', better: 'lower', read: LAT('reconnect'), blankWithoutSamples: true },
  { path: 'gap', label: 'inter-arrival gap', unit: 'ms', better: 'lower', read: LAT('gap'), blankWithoutSamples: true },
  { path: 'timeToDone', label: 'time to done', unit: 'ms', better: 'lower', read: LAT('timeToDone'), blankWithoutSamples: true },
  { path: 'playback.startupMs', label: 'startup delay', unit: 'ms', better: 'lower', read: (c) => c.playback?.startupMs },
  { path: 'playback.displayLatency', label: 'display latency', unit: 'ms', better: 'lower', read: (c) => c.playback?.displayLatency },
  { path: 'streams.deliveredFps', label: 'delivered fps per stream', unit: 'fps', better: 'higher', read: (c) => c.streams?.deliveredFps, blankWithoutSamples: true },
  { path: 'streams.framesPerRequest', label: 'frames per request', unit: 'fps', better: 'higher', read: (c) => c.streams?.framesPerRequest, blankWithoutSamples: true },
  ...INGEST_SUMMARIES.map(([name, label, unit]): Summary => ({ path: `ingest.${name}`, label, unit, better: 'lower', read: (c) => (c.ingest ? ingestSummary(c.ingest, name) : undefined), blankWithoutSamples: true })),
  ...BROWSER_SUMMARIES.map(([name, label]): Summary => ({ path: `browser.${name}`, label, unit: 'ms', better: 'lower', read: (c) => (c.browser ? browserSummary(c.browser, name) : undefined), blankWithoutSamples: true })),
];

const COUNT_LABELS: Record<keyof CellResult['counts'] & string, [string, MetricUnit]> = {
  framesExpected: ['frames expected', 'count'],
  framesReceived: ['frames received', 'count'],
  framesLost: ['lost frames', 'count'],
  framesDuplicated: ['duplicated frames', 'count'],
  bytesReceived: ['bytes received', 'bytes'],
  requests: ['requests', 'count'],
  requestsCompleted: ['requests completed', 'count'],
  connects: ['connects', 'count'],
  connectFailures: ['connect failures', 'count'],
  reconnects: ['reconnects', 'count'],
  errors: ['errors', 'count'],
  resumes: ['resumes', 'count'],
  lossRatio: ['loss ratio', 'ratio'],
  messagesBinary: ['binary messages', 'count'],
  messagesText: ['text messages', 'count'],
  httpRequests: ['HTTP requests', 'count'],
  clientCpuUs: ['client CPU (µs)', 'count'],
};
/** Counts a threshold may name (the last two are figures of particular transports, not thresholds). */
const THRESHOLD_COUNTS = Object.keys(COUNT_LABELS).filter((k) => k !== 'httpRequests' && k !== 'clientCpuUs');
const HIGHER_COUNTS = new Set(['framesExpected', 'framesReceived', 'bytesReceived', 'requests', 'requestsCompleted', 'connects', 'resumes', 'messagesBinary', 'messagesText']);

const SCALARS: readonly Scalar[] = [
  ...THRESHOLD_COUNTS.map((k): Scalar => {
    const [label, unit] = COUNT_LABELS[k as keyof typeof COUNT_LABELS];
    return { path: `counts.${k}`, label, unit, better: HIGHER_COUNTS.has(k) ? 'higher' : 'lower', read: (c) => (c.counts as unknown as Record<string, unknown>)[k] };
  }),
  { path: 'streams.framesAsked', label: 'frames asked per request', unit: 'fps', better: 'higher', read: (c) => (c.streams && c.streams.count > 0 && c.streams.framesAsked > 0 ? c.streams.framesAsked / c.streams.count : undefined) },
  { path: 'throughput.framesPerSec', label: 'frames/s', unit: 'fps', better: 'higher', read: (c) => c.throughput.framesPerSec },
  { path: 'throughput.bytesPerSec', label: 'bytes per second', unit: 'Bps', better: 'higher', read: (c) => c.throughput.bytesPerSec },
  { path: 'throughput.bytesPerFrame', label: 'bytes per frame', unit: 'bytes', better: 'lower', read: (c) => c.throughput.bytesPerFrame },
  { path: 'throughput.payloadBytesPerFrame', label: 'image bytes per frame', unit: 'bytes', better: 'lower', read: (c) => c.throughput.payloadBytesPerFrame },
  { path: 'playback.stallRatio', label: 'stall ratio', unit: 'ratio', better: 'lower', read: (c) => c.playback?.stallRatio },
  { path: 'playback.stalls', label: 'stalls', unit: 'count', better: 'lower', read: (c) => c.playback?.stalls },
  { path: 'playback.stallMs', label: 'time stalled', unit: 'ms', better: 'lower', read: (c) => c.playback?.stallMs },
  ...(['p50', 'p99', 'max'] as const).map((k): Scalar => ({ path: `chaos.recoverSec.${k}`, label: `recovery time ${k}`, unit: 's', better: 'lower', read: (c) => c.chaos?.recoverSec[k] })),
  { path: 'chaos.unrecovered', label: 'unrecovered faults', unit: 'count', better: 'lower', read: (c) => c.chaos?.unrecovered },
  ...INGEST_SCALARS.map(([name, label, unit, better]): Scalar => ({ path: `ingest.${name}`, label, unit, better, read: (c) => (c.ingest ? ingestScalar(c.ingest, name) : undefined) })),
  ...BROWSER_SCALARS.map(([name, label, unit, better]): Scalar => ({ path: `browser.${name}`, label, unit, better, read: (c) => (c.browser ? browserScalar(c.browser, name) : undefined) })),
];

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function summaryDef(s: Summary, stat: Stat): MetricDef {
  const unit = stat === 'count' ? 'count' : s.unit;
  const better = stat === 'count' ? 'higher' : s.better;
  const statText = stat === 'p999' ? 'p99.9' : stat;
  const value = (c: CellResult): number | null => {
    const summary = s.read(c);
    if (!summary || (s.blankWithoutSamples && stat !== 'count' && !(summary.count > 0))) return null;
    return finite(summary[stat]);
  };
  return { path: `${s.path}.${stat}`, label: `${s.label} ${statText}`, unit, better, value };
}

const DEFS = new Map<string, MetricDef>();
for (const s of SUMMARIES) for (const stat of STATS) DEFS.set(`${s.path}.${stat}`, summaryDef(s, stat));
for (const s of SCALARS) DEFS.set(s.path, { path: s.path, label: s.label, unit: s.unit, better: s.better, value: (c) => finite(s.read(c)) });

/** The metric at a canonical path, or undefined when framebench has no such metric. */
export function metricDef(path: string): MetricDef | undefined {
  return DEFS.get(path);
}

/** The measured value of a metric path, or null when the cell does not carry it. */
export function metricValue(cell: CellResult, path: string): number | null {
  return DEFS.get(path)?.value(cell) ?? null;
}

const alt = (xs: readonly string[]): string => `<${xs.join('|')}>`;

/** What may follow each first path segment, for error messages ("frame.<count|min|…>"). */
function allowedByGroup(): Map<string, string> {
  const out = new Map<string, string[]>();
  const add = (group: string, text: string): void => void out.set(group, [...(out.get(group) ?? []), text]);
  const byPrefix = new Map<string, string[]>();
  const prefixOf = (p: string): string => p.slice(0, p.lastIndexOf('.'));
  for (const s of SCALARS) byPrefix.set(prefixOf(s.path), [...(byPrefix.get(prefixOf(s.path)) ?? []), s.path.slice(s.path.lastIndexOf('.') + 1)]);
  const summaries = new Map<string, string[]>();
  for (const s of SUMMARIES) {
    const dot = s.path.indexOf('.');
    if (dot === -1) add(s.path, `${s.path}.${alt(STATS)}`);
    else summaries.set(s.path.slice(0, dot), [...(summaries.get(s.path.slice(0, dot)) ?? []), s.path.slice(dot + 1)]);
  }
  const groups = new Set([...summaries.keys(), ...[...byPrefix.keys()].map((p) => p.split('.')[0]!)]);
  for (const group of groups) {
    const scalars = [...byPrefix.entries()].filter(([p]) => p.split('.')[0] === group);
    const parts = [
      ...scalars.filter(([p]) => p === group).map(([, names]) => `${group}.${alt(names)}`),
      ...(summaries.has(group) ? [`${group}.${alt(summaries.get(group)!)}.${alt(STATS)}`] : []),
      ...scalars.filter(([p]) => p !== group).map(([p, names]) => `${p}.${alt(names)}`),
    ];
    add(group, parts.join(' or '));
  }
  return new Map([...out.entries()].map(([g, texts]) => [g, texts.join(' or ')]));
}
const ALLOWED = allowedByGroup();

/** Undefined for a known metric path; else a message naming what is allowed. */
export function metricError(path: string): string | undefined {
  if (DEFS.has(path)) return undefined;
  const known = ALLOWED.get(path.split('.')[0] ?? '');
  return `unknown metric ${JSON.stringify(path)}; allowed: ${known ?? [...ALLOWED.values()].join(', ')}`;
}

// Where the metrics are shown: the report's cell-table columns (in table order) and the metrics
// `bench diff` compares (in report order), by canonical path.
const FRAME = 'Frame latency (ms)';
const SCHEDULE = 'Schedule (ms)';
const ARRIVAL = 'Arrival (ms)';

export const REPORT_COLUMNS: ReadonlyArray<readonly [path: string, view: ColumnView]> = [
  ['frame.p50', { key: 'frame.p50', group: FRAME, header: 'p50' }],
  ['frame.p95', { key: 'frame.p95', group: FRAME, header: 'p95' }],
  ['frame.p99', { key: 'frame.p99', group: FRAME, header: 'p99' }],
  ['frame.p999', { key: 'frame.p999', group: FRAME, header: 'p99.9' }],
  ['frame.max', { key: 'frame.max', group: FRAME, header: 'max' }],
  ['lateness.p99', { key: 'lateness.p99', group: SCHEDULE, header: 'late p99', title: 'Lateness p99: receive time − scheduled time (coordinated-omission safe)' }],
  ['firstFrame.p95', { key: 'firstFrame.p95', group: SCHEDULE, header: '1st frame p95', title: 'Time to first frame p95' }],
  ['gap.p50', { key: 'gap.p50', group: ARRIVAL, header: 'gap p50', title: 'Inter-arrival gap p50: time between consecutive frames of a stream', optional: true }],
  ['gap.p99', { key: 'gap.p99', group: ARRIVAL, header: 'gap p99', title: 'Inter-arrival gap p99', optional: true }],
  ['gap.max', { key: 'gap.max', group: ARRIVAL, header: 'gap max', title: 'Inter-arrival gap max (the longest pause in a stream)', optional: true }],
  ['timeToDone.p50', { key: 'timeToDone.p50', group: ARRIVAL, header: 'done p50', title: 'Time to done p50: request sent → done (or its last frame)', optional: true }],
  ['timeToDone.p95', { key: 'timeToDone.p95', group: ARRIVAL, header: 'done p95', title: 'Time to done p95', optional: true }],
  ['streams.deliveredFps.p50', { key: 'streams.deliveredFps.p50', group: 'Streams', header: 'fps p50', title: 'Delivered fps per stream p50: (frames − 1) / (last − first arrival)', optional: true }],
  ['streams.framesPerRequest.p50', { key: 'streams.framesPerRequest.p50', group: 'Streams', header: 'frames/req p50', title: 'Frames each request received p50', optional: true }],
  ['streams.framesAsked', { key: 'streams.framesAsked', group: 'Streams', header: 'asked', title: 'Frames each request asked for', optional: true }],
  ['throughput.framesPerSec', { key: 'fps', group: 'Throughput', header: 'frames/s', title: 'Frames received per second' }],
  ['throughput.bytesPerSec', { key: 'mbps', group: 'Throughput', header: 'MB/s', title: 'Megabytes received per second' }],
  ['throughput.bytesPerFrame', { key: 'bytesPerFrame', group: 'Throughput', header: 'KB/frame', title: 'Mean bytes per frame (KB)' }],
  ['throughput.payloadBytesPerFrame', { key: 'payloadBytesPerFrame', group: 'Throughput', header: 'payload KB', title: 'Mean image bytes per frame (KB), without protocol header, base64 decoded', optional: true }],
  ['playback.stallRatio', { key: 'stallRatio', group: 'Playback', header: 'stall', title: 'Stall ratio: share of playback time spent paused on buffer underrun' }],
  ['playback.startupMs.p50', { key: 'startup.p50', group: 'Playback', header: 'startup p50', title: 'Playback startup delay p50 (ms)' }],
  ['playback.startupMs.p95', { key: 'startup.p95', group: 'Playback', header: 'startup p95', title: 'Playback startup delay p95 (ms)' }],
  ['counts.framesLost', { key: 'lost', group: 'Accounting', header: 'lost', title: 'Frames lost (expected − received)' }],
  ['counts.errors', { key: 'errors', group: 'Accounting', header: 'errors', title: 'Errors of any kind' }],
];

/** Absolute floors in ms: scheduler and GC hiccups of a millisecond or two move tails regardless of the base. */
const FLOOR_MEDIAN_MS = 1;
const FLOOR_TAIL_MS = 2;
const FLOOR_FAR_TAIL_MS = 10;

/** A window with frames and a latency figure (frame latency needs a server timestamp). */
const measuredWindow = (p: TimeseriesPoint, v: number): number | null => (p.framesPerSec > 0 && (p.p99 > 0 || p.p50 > 0) ? v : null);

export const DIFF_VIEWS: ReadonlyArray<readonly [path: string, view: DiffView]> = [
  ['frame.p50', { noise: 'window', floor: FLOOR_MEDIAN_MS, window: (p) => measuredWindow(p, p.p50) }],
  ['frame.p95', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['frame.p99', { noise: 'window', floor: FLOOR_TAIL_MS, window: (p) => measuredWindow(p, p.p99) }],
  ['frame.p999', { noise: 'repeat', floor: FLOOR_FAR_TAIL_MS }],
  ['lateness.p99', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['firstFrame.p95', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['gap.p99', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['timeToDone.p50', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['throughput.framesPerSec', { noise: 'window', floor: 1, window: (p) => p.framesPerSec }],
  ['throughput.bytesPerFrame', { noise: 'window', floor: 100, window: (p) => (p.framesPerSec > 0 ? p.bytesPerSec / p.framesPerSec : null) }],
  ['playback.stallRatio', { noise: 'repeat', floor: 0.001 }],
  ['playback.startupMs.p95', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['counts.framesLost', { noise: 'count', floor: 1 }],
  ['counts.errors', { noise: 'count', floor: 1 }],
  ['reconnect.p95', { noise: 'repeat', floor: FLOOR_FAR_TAIL_MS }],
  // browser viewers: compared only when both cells had them
  ['browser.frame.p99', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['browser.decode.p95', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['browser.paint.p95', { noise: 'repeat', floor: FLOOR_TAIL_MS }],
  ['browser.droppedRatio', { noise: 'repeat', floor: 0.001 }],
  ['browser.stallRatio', { noise: 'repeat', floor: 0.001 }],
  ['browser.freezes', { noise: 'count', floor: 1 }],
];
