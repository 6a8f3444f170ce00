// The metrics `bench diff` compares, from the metric catalogue (src/metrics/catalogue.ts): how to read
// each from a cell, which direction is better, where its noise estimate comes from, its default
// absolute floor, and how to print its values.
import { DIFF_VIEWS, metricDef, type DiffView } from '../metrics/catalogue.js';
import type { CellResult, TimeseriesPoint } from '../results/types.js';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtRatio } from '../html/format.js';

export type DiffUnit = 'ms' | 'fps' | 'bytes' | 'ratio' | 'count';

/**
 * window: per-second values from the time series (and the repeats' series);
 * repeat: per-repeat values when both cells hold ≥ MIN_REPEATS repeats;
 * count: an observed count, judged by the size of the change alone.
 */
export type NoiseSource = DiffView['noise'];

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

function diffMetric(path: string, view: DiffView): DiffMetric {
  const def = metricDef(path);
  if (!def) throw new Error(`diff metric ${path} is not in the metric catalogue`);
  if (!isDiffUnit(def.unit)) throw new Error(`diff metric ${path}: unit ${def.unit} has no diff format`);
  return { key: path, label: def.label, unit: def.unit, better: def.better, noise: view.noise, floor: view.floor, value: def.value, ...(view.window ? { window: view.window } : {}) };
}

const isDiffUnit = (u: string): u is DiffUnit => ['ms', 'fps', 'bytes', 'ratio', 'count'].includes(u);

export const DIFF_METRICS: readonly DiffMetric[] = DIFF_VIEWS.map(([path, view]) => diffMetric(path, view));

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
