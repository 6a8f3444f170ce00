// Chart specs (chart.js configs as plain JSON) for the overview: p50/p95/p99 by cell and the
// buffer-depth trade-off. The page script adds the few callbacks JSON cannot carry, by `kind`.
import { axisTitle, colour, type ChartSpec } from '../../html/chart-spec.js';
import { fmtNum } from '../../html/format.js';
import { columnLimit, distinctValues, type ReportModel } from './model.js';

const FAIL_COLOUR = '#c0392b';

export function percentileChart(model: ReportModel): ChartSpec | undefined {
  const cells = model.cells.filter((v) => v.cell.latencyMs.frame.count > 0);
  if (cells.length === 0) return undefined;
  const labels = cells.map((v) => v.label);
  const frame = (i: number) => cells[i]?.cell.latencyMs.frame;
  const datasets: Array<Record<string, unknown>> = [
    { label: 'p50', data: cells.map((_, i) => frame(i)?.p50 ?? null), backgroundColor: '#9ecae1' },
    { label: 'p95', data: cells.map((_, i) => frame(i)?.p95 ?? null), backgroundColor: '#4292c6' },
    {
      label: 'p99',
      data: cells.map((_, i) => frame(i)?.p99 ?? null),
      backgroundColor: cells.map((v) => (v.failingColumns.has('frame.p99') ? FAIL_COLOUR : '#08306b')),
    },
  ];
  const limit = columnLimit(model, 'frame.p99');
  if (limit) {
    datasets.push({
      type: 'line',
      label: `limit: ${limit.expr}`,
      data: labels.map(() => limit.limit),
      borderColor: FAIL_COLOUR,
      backgroundColor: 'rgba(192, 57, 43, 0.12)',
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
      fill: false,
    });
  }
  return {
    id: 'chart-percentiles',
    kind: 'percentiles',
    title: 'Frame latency p50 / p95 / p99 by cell',
    height: cells.length > 12 ? 380 : 320,
    wide: cells.length > 12,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        datasets: { bar: { maxBarThickness: 48 } },
        scales: {
          x: { ticks: { autoSkip: false, maxRotation: 60, minRotation: 0 } },
          y: { beginAtZero: true, title: axisTitle('ms') },
        },
        plugins: { legend: { position: 'top' } },
      },
    },
  };
}

export function tradeoffChart(model: ReportModel): ChartSpec | undefined {
  const cells = model.cells.filter((v) => v.cell.playback && v.params.bufferDepth !== undefined);
  if (cells.length === 0) return undefined;
  const depths = distinctValues(model, 'bufferDepth');
  const datasets = depths.map((d, i) => ({
    label: `buffer ${String(d)}`,
    data: cells
      .filter((v) => v.params.bufferDepth === d)
      .map((v) => ({
        x: v.cell.playback?.startupMs.p50 ?? 0,
        y: (v.cell.playback?.stallRatio ?? 0) * 100,
        label: v.label,
      })),
    backgroundColor: colour(i),
    borderColor: colour(i),
    pointRadius: 5,
    pointHoverRadius: 7,
  })) as Array<Record<string, unknown>>;
  const stallLimit = columnLimit(model, 'stallRatio');
  if (stallLimit) {
    const maxX = Math.max(...cells.map((v) => v.cell.playback?.startupMs.p50 ?? 0));
    datasets.push({
      label: `limit ${fmtNum(stallLimit.limit * 100)}%`,
      fbRole: 'limit',
      data: [
        { x: 0, y: stallLimit.limit * 100, label: stallLimit.expr },
        { x: maxX * 1.05, y: stallLimit.limit * 100, label: stallLimit.expr },
      ],
      backgroundColor: 'rgba(192, 57, 43, 0.12)',
      borderColor: FAIL_COLOUR,
      pointRadius: 0,
      pointHoverRadius: 0,
      showLine: true,
      borderDash: [6, 4],
      borderWidth: 1.5,
    });
  }
  const title = `Buffer-depth trade-off: startup delay vs stall ratio${stallLimit ? ` (limit ${stallLimit.expr})` : ''}`;
  return {
    id: 'chart-tradeoff',
    kind: 'tradeoff',
    title,
    height: 320,
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        scales: {
          x: { beginAtZero: true, title: axisTitle('playback startup delay p50 (ms)') },
          y: { beginAtZero: true, title: axisTitle('stall ratio (%)'), suggestedMax: stallLimit ? stallLimit.limit * 100 * 1.2 : undefined },
        },
      },
    },
  };
}

/** Charts of the overview section, in display order. */
export function overviewCharts(model: ReportModel): ChartSpec[] {
  return [percentileChart(model), tradeoffChart(model)].filter((c): c is ChartSpec => c !== undefined);
}
