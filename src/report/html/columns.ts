// The per-cell metric columns of the report: accessor, unit and formatting, shared by the
// cell table, threshold matching and the grids.
import type { CellResult } from '../../metrics/results-types.js';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtRatio } from './format.js';

export type MetricUnit = 'ms' | 'ratio' | 'count' | 'fps' | 'Bps' | 'bytes';

export interface MetricColumn {
  key: string;
  group: string;
  header: string;
  title: string;
  unit: MetricUnit;
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

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  { key: 'frame.p50', group: 'Frame latency (ms)', header: 'p50', title: 'Frame latency p50', unit: 'ms', value: (c) => frame(c).p50 },
  { key: 'frame.p95', group: 'Frame latency (ms)', header: 'p95', title: 'Frame latency p95', unit: 'ms', value: (c) => frame(c).p95 },
  { key: 'frame.p99', group: 'Frame latency (ms)', header: 'p99', title: 'Frame latency p99', unit: 'ms', value: (c) => frame(c).p99 },
  { key: 'frame.p999', group: 'Frame latency (ms)', header: 'p99.9', title: 'Frame latency p99.9', unit: 'ms', value: (c) => frame(c).p999 },
  { key: 'frame.max', group: 'Frame latency (ms)', header: 'max', title: 'Frame latency max', unit: 'ms', value: (c) => frame(c).max },
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

export function columnByKey(key: string | undefined): MetricColumn | undefined {
  return key === undefined ? undefined : METRIC_COLUMNS.find((c) => c.key === key);
}
