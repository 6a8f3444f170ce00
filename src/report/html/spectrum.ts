// Percentile spectrum charts (HdrHistogram style): x = 1/(1 − percentile) on a log axis labelled
// 50%, 90%, 99%, 99.9%…, y = frame latency in ms, one line per cell, decoded from latencyMs.frame.hdr.
import { axisTitle, colour, type ChartSpec } from '../../html/chart-spec.js';
import { spectrumPoints } from '../../html/spectrum-points.js';
import { distinctValues, type CellView, type ReportModel } from './model.js';

const MAX_LINES = 9;

function groups(model: ReportModel): Array<{ title: string; cells: CellView[] }> {
  const withData = model.cells.filter((v) => v.cell.latencyMs.frame.count > 0 && v.cell.latencyMs.frame.hdr);
  const byDepth = model.varying.includes('bufferDepth')
    ? distinctValues(model, 'bufferDepth').map((d) => ({
        title: `buffer depth ${String(d)}`,
        cells: withData.filter((v) => v.params.bufferDepth === d),
      }))
    : [{ title: '', cells: withData }];
  const out: Array<{ title: string; cells: CellView[] }> = [];
  for (const g of byDepth) {
    const parts = Math.ceil(g.cells.length / MAX_LINES);
    for (let p = 0; p < parts; p++) {
      const suffix = parts > 1 ? ` (${p + 1} of ${parts})` : '';
      out.push({ title: `${g.title}${suffix}`, cells: g.cells.slice(p * MAX_LINES, (p + 1) * MAX_LINES) });
    }
  }
  return out;
}

export function spectrumCharts(model: ReportModel): ChartSpec[] {
  return groups(model).flatMap((g, gi) => {
    const datasets = g.cells
      .map((v, i) => ({
        label: v.label,
        data: spectrumPoints(v.cell.latencyMs.frame.hdr, v.cell.latencyMs.frame.count),
        borderColor: colour(i),
        backgroundColor: colour(i),
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 4,
        fill: false,
      }))
      .filter((d) => d.data.length > 0);
    if (datasets.length === 0) return [];
    const maxX = Math.max(...datasets.flatMap((d) => d.data.map((p) => p.x)), 10);
    const spec: ChartSpec = {
      id: `chart-spectrum-${gi}`,
      kind: 'spectrum',
      title: `Frame latency by percentile${g.title ? ` — ${g.title}` : ''}`,
      height: 340,
      config: {
        type: 'line',
        data: { datasets },
        options: {
          parsing: true,
          scales: {
            x: { type: 'logarithmic', min: 1, max: 10 ** Math.ceil(Math.log10(maxX)), title: axisTitle('percentile') },
            y: { beginAtZero: true, title: axisTitle('frame latency (ms)') },
          },
          plugins: { legend: { position: 'right', labels: { boxWidth: 12 } } },
        },
      },
    };
    return [spec];
  });
}
