// The per-cell metric columns of the report: accessor, unit and formatting, shared by the
// cell table, threshold matching and the grids. Arrival-time columns (gaps, time to done, per-stream
// fps and frames, payload bytes) are optional: shown only when some cell measured them.
import type { CellResult, LatencySummary } from '../../metrics/results-types.js';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtRatio } from '../../html/format.js';

export type MetricUnit = 'ms' | 'ratio' | 'count' | 'fps' | 'Bps' | 'bytes';

export interface MetricColumn {
  key: string;
  group: string;
  header: string;
  title: string;
  unit: MetricUnit;
  /** Shown in the cell table only when some cell has a value (metrics not every protocol gives). */
  optional?: true;
  /** null when the cell has no sample: shown as "–", never as 0. */
  value(cell: CellResult): number | null;
}

export function formatValue(unit: MetricUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 'ratio':
      return fmtRatio(value);
    case 'count':
      return fmtInt(value);
    case 'fps':
      return fmtNum(value);
    case 'Bps':
      return value === null || value === undefined ? fmtBytes(value) : `${fmtBytes(value)}/s`;
    case 'bytes':
      return fmtBytes(value);
  }
}

/** Compact cell-table text: units live in the header, so only the number is shown. */
export function formatBare(unit: MetricUnit, value: number | null | undefined): string {
  if (value === null || value === undefined) return fmtNum(value);
  switch (unit) {
    case 'ms':
      return fmtNum(value);
    case 'ratio':
      return fmtRatio(value);
    case 'count':
      return fmtInt(value);
    case 'fps':
      return fmtNum(value);
    case 'Bps':
      return fmtNum(value / 1e6);
    case 'bytes':
      return fmtNum(value / 1e3);
  }
}

const frame = (c: CellResult) => c.latencyMs.frame;
/** A latency statistic, null without samples (frame latency needs a server timestamp). */
const stat = (s: LatencySummary | undefined, k: 'p50' | 'p95' | 'p99' | 'p999' | 'max'): number | null => (s && s.count > 0 ? s[k] : null);
const arrival = (key: string, header: string, title: string, get: (c: CellResult) => number | null): MetricColumn => ({ key, group: 'Arrival (ms)', header, title, unit: 'ms', optional: true, value: get });
/** Frames each request asked for; null for continuous streams or when no request ended. */
function askedPerRequest(c: CellResult): number | null {
  const s = c.streams;
  return s && s.count > 0 && s.framesAsked > 0 ? s.framesAsked / s.count : null;
}

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { key: 'frame.p50', group: 'Frame latency (ms)', header: 'p50', title: 'Frame latency p50', unit: 'ms', value: (c) => stat(frame(c), 'p50') },
  { key: 'frame.p95', group: 'Frame latency (ms)', header: 'p95', title: 'Frame latency p95', unit: 'ms', value: (c) => stat(frame(c), 'p95') },
  { key: 'frame.p99', group: 'Frame latency (ms)', header: 'p99', title: 'Frame latency p99', unit: 'ms', value: (c) => stat(frame(c), 'p99') },
  { key: 'frame.p999', group: 'Frame latency (ms)', header: 'p99.9', title: 'Frame latency p99.9', unit: 'ms', value: (c) => stat(frame(c), 'p999') },
  { key: 'frame.max', group: 'Frame latency (ms)', header: 'max', title: 'Frame latency max', unit: 'ms', value: (c) => stat(frame(c), 'max') },
  {
    key: 'lateness.p99',
    group: 'Schedule (ms)',
    header: 'late p99',
    title: 'Lateness p99: receive time − scheduled time (coordinated-omission safe)',
    unit: 'ms',
    value: (c) => c.latencyMs.lateness.p99,
  },
  {
    key: 'firstFrame.p95',
    group: 'Schedule (ms)',
    header: '1st frame p95',
    title: 'Time to first frame p95',
    unit: 'ms',
    value: (c) => c.latencyMs.firstFrame.p95,
  },
  arrival('gap.p50', 'gap p50', 'Inter-arrival gap p50: time between consecutive frames of a stream', (c) => stat(c.latencyMs.gap, 'p50')),
  arrival('gap.p99', 'gap p99', 'Inter-arrival gap p99', (c) => stat(c.latencyMs.gap, 'p99')),
  arrival('gap.max', 'gap max', 'Inter-arrival gap max (the longest pause in a stream)', (c) => stat(c.latencyMs.gap, 'max')),
  arrival('timeToDone.p50', 'done p50', 'Time to done p50: request sent → done (or its last frame)', (c) => stat(c.latencyMs.timeToDone, 'p50')),
  arrival('timeToDone.p95', 'done p95', 'Time to done p95', (c) => stat(c.latencyMs.timeToDone, 'p95')),
  {
    key: 'streams.deliveredFps.p50',
    group: 'Streams',
    header: 'fps p50',
    title: 'Delivered fps per stream p50: (frames − 1) / (last − first arrival)',
    unit: 'fps',
    optional: true,
    value: (c) => stat(c.streams?.deliveredFps, 'p50'),
  },
  {
    key: 'streams.framesPerRequest.p50',
    group: 'Streams',
    header: 'frames/req p50',
    title: 'Frames each request received p50',
    unit: 'fps',
    optional: true,
    value: (c) => stat(c.streams?.framesPerRequest, 'p50'),
  },
  { key: 'streams.framesAsked', group: 'Streams', header: 'asked', title: 'Frames each request asked for', unit: 'fps', optional: true, value: askedPerRequest },
  { key: 'fps', group: 'Throughput', header: 'frames/s', title: 'Frames received per second', unit: 'fps', value: (c) => c.throughput.framesPerSec },
  { key: 'mbps', group: 'Throughput', header: 'MB/s', title: 'Megabytes received per second', unit: 'Bps', value: (c) => c.throughput.bytesPerSec },
  {
    key: 'bytesPerFrame',
    group: 'Throughput',
    header: 'KB/frame',
    title: 'Mean bytes per frame (KB)',
    unit: 'bytes',
    value: (c) => c.throughput.bytesPerFrame,
  },
  {
    key: 'payloadBytesPerFrame',
    group: 'Throughput',
    header: 'payload KB',
    title: 'Mean image bytes per frame (KB), without protocol header, base64 decoded',
    unit: 'bytes',
    optional: true,
    value: (c) => c.throughput.payloadBytesPerFrame ?? null,
  },
  {
    key: 'stallRatio',
    group: 'Playback',
    header: 'stall',
    title: 'Stall ratio: share of playback time spent paused on buffer underrun',
    unit: 'ratio',
    value: (c) => c.playback?.stallRatio ?? null,
  },
  {
    key: 'startup.p50',
    group: 'Playback',
    header: 'startup p50',
    title: 'Playback startup delay p50 (ms)',
    unit: 'ms',
    value: (c) => c.playback?.startupMs.p50 ?? null,
  },
  {
    key: 'startup.p95',
    group: 'Playback',
    header: 'startup p95',
    title: 'Playback startup delay p95 (ms)',
    unit: 'ms',
    value: (c) => c.playback?.startupMs.p95 ?? null,
  },
  { key: 'lost', group: 'Accounting', header: 'lost', title: 'Frames lost (expected − received)', unit: 'count', value: (c) => c.counts.framesLost },
  { key: 'errors', group: 'Accounting', header: 'errors', title: 'Errors of any kind', unit: 'count', value: (c) => c.counts.errors },
];

/** The columns of the cell table for these cells: optional ones only where some cell has a value. */
export function visibleColumns(cells: readonly CellResult[]): MetricColumn[] {
  return METRIC_COLUMNS.filter((col) => !col.optional || cells.some((c) => col.value(c) !== null));
}

export function columnByKey(key: string | undefined): MetricColumn | undefined {
  return key === undefined ? undefined : METRIC_COLUMNS.find((c) => c.key === key);
}
