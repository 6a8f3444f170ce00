// The metrics `bench diff` compares: how to read each from a cell, which direction is better,
// where its noise estimate comes from, its default absolute floor, and how to print its values.
import type { CellResult, LatencySummary, TimeseriesPoint } from '../metrics/results-types.js';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtRatio } from '../html/format.js';

export type DiffUnit = 'ms' | 'fps' | 'bytes' | 'ratio' | 'count';

/**
 * window: per-second values from the time series (and the repeats' series);
 * repeat: per-repeat values when both cells hold ≥ MIN_REPEATS repeats;
 * count: an observed count, judged by the size of the change alone.
 */
export type NoiseSource = 'window' | 'repeat' | 'count';

export interface DiffMetric {
  key: string;
  label: string;
  unit: DiffUnit;
  better: 'lower' | 'higher';
  noise: NoiseSource;
  /** Changes smaller than this (in the metric's unit) are unchanged whatever their percentage. */
  floor: number;
  value(cell: CellResult): number | null;
  /** This metric's value in one per-second window; null when the window holds no frames. */
  window?(point: TimeseriesPoint): number | null;
}

/** Repeats each side needs before per-repeat values are used as a noise sample. */
export const MIN_REPEATS = 3;

/** Absolute floors in ms: scheduler and GC hiccups of a millisecond or two move tails regardless of the base. */
const FLOOR_MEDIAN_MS = 1;
const FLOOR_TAIL_MS = 2;
const FLOOR_FAR_TAIL_MS = 10;


function extraLatency(cell: CellResult, name: string): LatencySummary | undefined {
  const summary = (cell.latencyMs as unknown as Record<string, LatencySummary | undefined>)[name];
  return summary && typeof summary.p95 === 'number' ? summary : undefined;
}

function latency(key: string, label: string, read: (c: CellResult) => number | null | undefined, floor: number, noise: NoiseSource = 'repeat'): DiffMetric {
  return { key, label, unit: 'ms', better: 'lower', noise, floor, value: (c) => read(c) ?? null };
}

/** Frame latency exists only where frames carry a server timestamp; without samples it is not compared. */
const frameStat = (c: CellResult, k: 'p50' | 'p95' | 'p99' | 'p999'): number | null => (c.latencyMs.frame.count > 0 ? c.latencyMs.frame[k] : null);
const measuredWindow = (p: TimeseriesPoint, v: number): number | null => (p.framesPerSec > 0 && (p.p99 > 0 || p.p50 > 0) ? v : null);

export const DIFF_METRICS: readonly DiffMetric[] = [
  { ...latency('frame.p50', 'frame latency p50', (c) => frameStat(c, 'p50'), FLOOR_MEDIAN_MS, 'window'), window: (p) => measuredWindow(p, p.p50) },
  latency('frame.p95', 'frame latency p95', (c) => frameStat(c, 'p95'), FLOOR_TAIL_MS),
  { ...latency('frame.p99', 'frame latency p99', (c) => frameStat(c, 'p99'), FLOOR_TAIL_MS, 'window'), window: (p) => measuredWindow(p, p.p99) },
  latency('frame.p999', 'frame latency p99.9', (c) => frameStat(c, 'p999'), FLOOR_FAR_TAIL_MS),
  latency('lateness.p99', 'lateness p99', (c) => c.latencyMs.lateness.p99, FLOOR_TAIL_MS),
  latency('firstFrame.p95', 'first frame p95', (c) => c.latencyMs.firstFrame.p95, FLOOR_TAIL_MS),
  latency('gap.p99', 'inter-arrival gap p99', (c) => (extraLatency(c, 'gap')?.count ? extraLatency(c, 'gap')?.p99 : null), FLOOR_TAIL_MS),
  latency('timeToDone.p50', 'time to done p50', (c) => (extraLatency(c, 'timeToDone')?.count ? extraLatency(c, 'timeToDone')?.p50 : null), FLOOR_TAIL_MS),
  {
    key: 'throughput.framesPerSec',
    label: 'frames/s',
    unit: 'fps',
    better: 'higher',
    noise: 'window',
    floor: 1,
    value: (c) => c.throughput.framesPerSec,
    window: (p) => p.framesPerSec,
  },
  {
    key: 'throughput.bytesPerFrame',
    label: 'bytes per frame',
    unit: 'bytes',
    better: 'lower',
    noise: 'window',
    floor: 100,
    value: (c) => c.throughput.bytesPerFrame,
    window: (p) => (p.framesPerSec > 0 ? p.bytesPerSec / p.framesPerSec : null),
  },
  { key: 'playback.stallRatio', label: 'stall ratio', unit: 'ratio', better: 'lower', noise: 'repeat', floor: 0.001, value: (c) => c.playback?.stallRatio ?? null },
  latency('playback.startupMs.p95', 'startup delay p95', (c) => c.playback?.startupMs.p95, FLOOR_TAIL_MS),
  { key: 'counts.framesLost', label: 'lost frames', unit: 'count', better: 'lower', noise: 'count', floor: 1, value: (c) => c.counts.framesLost },
  { key: 'counts.errors', label: 'errors', unit: 'count', better: 'lower', noise: 'count', floor: 1, value: (c) => c.counts.errors },
  latency('reconnect.p95', 'reconnect time p95', (c) => extraLatency(c, 'reconnect')?.p95, FLOOR_FAR_TAIL_MS),
];

export const METRIC_KEYS: readonly string[] = DIFF_METRICS.map((m) => m.key);

export function metricByKey(key: string): DiffMetric | undefined {
  return DIFF_METRICS.find((m) => m.key === key);
}

export function formatMetric(unit: DiffUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 'fps':
      return fmtNum(value);
    case 'bytes':
      return fmtBytes(value);
    case 'ratio':
      return fmtRatio(value);
    case 'count':
      return fmtInt(value);
  }
}

/** An absolute amount in the metric's unit, e.g. the floor: "1 ms", "0.1%" (ratio), "100 B". */
export function formatAmount(unit: DiffUnit, value: number): string {
  return unit === 'fps' ? `${fmtNum(value)} frames/s` : formatMetric(unit, value);
}

/** Per-second samples of a window metric, from the cell's series or, when empty, its repeats' series. */
export function windowSamples(metric: DiffMetric, cell: CellResult): number[] {
  const read = metric.window;
  if (!read) return [];
  const series = cell.timeseries?.length ? cell.timeseries : (cell.repeats ?? []).flatMap((r) => r.timeseries ?? []);
  return series.map(read).filter((v): v is number => v !== null && Number.isFinite(v));
}

/** One value per repeat, or [] when the cell has fewer than `min` repeats (default MIN_REPEATS). */
export function repeatSamples(metric: DiffMetric, cell: CellResult, min = MIN_REPEATS): number[] {
  const repeats = cell.repeats ?? [];
  if (repeats.length < min) return [];
  const values = repeats.map((r) => metric.value(r));
  return values.every((v): v is number => v !== null && Number.isFinite(v)) ? values : [];
}
