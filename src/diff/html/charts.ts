// Chart specs of the diff page: per cell the two percentile spectra overlaid and the two per-second
// series (p99, frames/s); for the whole diff a horizontal bar of the largest changes, coloured by verdict.
import type { CellResult } from '../../results/types.js';
import { axisTitle, type ChartSpec } from '../../html/chart-spec.js';
import { spectrumPoints } from '../../html/spectrum-points.js';
import type { Verdict } from '../compare.js';
import { rankChanges } from '../describe.js';
import type { CellDiff, DiffReport } from '../diff.js';

export const VERDICT_COLOURS: Record<Verdict, string> = { worse: '#c0392b', better: '#1b7f3b', noise: '#c9a227', unchanged: '#9aa5b1' };
const BASE_COLOUR = '#7f8c9d';
const HEAD_COLOUR = '#2f5f98';
const MAX_BARS = 24;
const BAR_CLAMP_PCT = 300;

export function spectrumOverlay(cell: CellDiff, index: number): ChartSpec | undefined {
  const line = (label: string, c: CellResult, colour: string, dash: number[]) => ({
    label,
    data: spectrumPoints(c.latencyMs.frame.hdr, c.latencyMs.frame.count),
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    borderWidth: 1.8,
    pointRadius: 0,
    pointHitRadius: 4,
    fill: false,
  });
  const datasets = [line('base', cell.pair.base, BASE_COLOUR, [5, 3]), line('head', cell.pair.head, HEAD_COLOUR, [])].filter((d) => d.data.length > 0);
  if (datasets.length === 0) return undefined;
  const maxX = Math.max(10, ...datasets.flatMap((d) => d.data.map((p) => p.x)));
  return {
    id: `chart-diff-spectrum-${index}`,
    kind: 'spectrum',
    title: 'Frame latency by percentile (log scale)',
    height: 260,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'logarithmic', min: 1, max: 10 ** Math.ceil(Math.log10(maxX)), title: axisTitle('percentile') },
          y: { type: 'logarithmic', title: axisTitle('frame latency (ms, log)') },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    },
  };
}

export function seriesOverlay(cell: CellDiff, index: number): ChartSpec | undefined {
  const { base, head } = cell.pair;
  if ((base.timeseries ?? []).length === 0 && (head.timeseries ?? []).length === 0) return undefined;
  const line = { pointRadius: 0, pointHitRadius: 4, borderWidth: 1.5, fill: false };
  const series = (c: CellResult, key: 'p99' | 'framesPerSec') => (c.timeseries ?? []).filter((p) => key !== 'p99' || p.framesPerSec > 0).map((p) => ({ x: p.t, y: p[key] }));
  return {
    id: `chart-diff-ts-${index}`,
    kind: 'timeseries',
    title: 'Per second: p99 (left) and frames/s (right)',
    height: 260,
    config: {
      type: 'line',
      data: {
        datasets: [
          { ...line, label: 'base p99 ms', yAxisID: 'yMs', data: series(base, 'p99'), borderColor: BASE_COLOUR, backgroundColor: BASE_COLOUR },
          { ...line, label: 'head p99 ms', yAxisID: 'yMs', data: series(head, 'p99'), borderColor: HEAD_COLOUR, backgroundColor: HEAD_COLOUR },
          { ...line, label: 'base frames/s', yAxisID: 'yFps', data: series(base, 'framesPerSec'), borderColor: BASE_COLOUR, backgroundColor: BASE_COLOUR, borderDash: [5, 3] },
          { ...line, label: 'head frames/s', yAxisID: 'yFps', data: series(head, 'framesPerSec'), borderColor: HEAD_COLOUR, backgroundColor: HEAD_COLOUR, borderDash: [5, 3] },
        ],
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, title: axisTitle('seconds (repeats end to end)') },
          yMs: { position: 'left', beginAtZero: true, title: axisTitle('p99 ms') },
          yFps: { position: 'right', beginAtZero: true, title: axisTitle('frames/s'), grid: { drawOnChartArea: false } },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } } },
      },
    },
  };
}

/** The largest moves (worse first), as % change clamped to ±300 %; unchanged comparisons are left out. */
export function changesChart(report: DiffReport): ChartSpec | undefined {
  const rows = rankChanges(report, ['worse', 'better', 'noise']).slice(0, MAX_BARS);
  if (rows.length === 0) return undefined;
  const pct = (c: number | null): number => (c === null ? BAR_CLAMP_PCT : Math.max(-BAR_CLAMP_PCT, Math.min(BAR_CLAMP_PCT, Math.round(c * 1000) / 10)));
  return {
    id: 'chart-diff-changes',
    kind: 'changes',
    title: 'Largest changes, % of base (colour = verdict)',
    height: Math.max(160, 60 + rows.length * 24),
    wide: true,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((r) => `${r.label} · ${r.diff.metric.label}${r.diff.metric.better === 'higher' ? ' (higher is better)' : ''}`),
        datasets: [
          {
            label: 'change %',
            data: rows.map((r) => pct(r.diff.change)),
            backgroundColor: rows.map((r) => VERDICT_COLOURS[r.diff.verdict]),
            borderWidth: 0,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: { x: { title: axisTitle(`change % (clamped to ±${BAR_CLAMP_PCT})`) }, y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false } },
      },
    },
  };
}
