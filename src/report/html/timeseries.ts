// Per-second time series per cell: frames/s, latency p99 and open connections, with the cell's
// events drawn as dashed vertical lines and hoverable markers, and the windows in which the harness
// paused (their latency is harness-affected) crossed out.
import { axisTitle, type ChartSpec } from '../../html/chart-spec.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { fmtNum } from '../../html/format.js';
import { columnLimit, type CellView, type ReportModel } from './model.js';

const EVENT_COLOUR = '#8e44ad';

function eventDatasets(view: CellView): Array<Record<string, unknown>> {
  const events = view.cell.events ?? [];
  if (events.length === 0) return [];
  return [
    {
      label: 'event line',
      fbRole: 'eventLine',
      yAxisID: 'yEv',
      data: events.flatMap((e) => [
        { x: e.t, y: 0 },
        { x: e.t, y: 1 },
        { x: e.t, y: null },
      ]),
      borderColor: EVENT_COLOUR,
      borderDash: [4, 4],
      borderWidth: 1,
      pointRadius: 0,
      pointHitRadius: 0,
      spanGaps: false,
      fill: false,
    },
    {
      label: 'events',
      fbRole: 'event',
      yAxisID: 'yEv',
      showLine: false,
      data: events.map((e) => ({ x: e.t, y: 0.96, kind: e.kind, detail: e.shard ? `shard ${e.shard}: ${e.detail}` : e.detail })),
      borderColor: EVENT_COLOUR,
      backgroundColor: EVENT_COLOUR,
      pointStyle: 'triangle',
      rotation: 180,
      pointRadius: 6,
      pointHoverRadius: 8,
    },
  ];
}

function pausedDataset(ts: NonNullable<CellView['cell']['timeseries']>): Array<Record<string, unknown>> {
  const paused = ts.filter((p) => p.harnessAffected);
  if (paused.length === 0) return [];
  return [
    {
      label: 'harness paused (p99 harness-affected)',
      yAxisID: 'yMs',
      showLine: false,
      data: paused.map((p) => ({ x: p.t, y: p.p99 })),
      borderColor: '#f28e2b',
      backgroundColor: '#f28e2b',
      pointStyle: 'crossRot',
      pointRadius: 7,
      borderWidth: 2,
    },
  ];
}

export function timeseriesChart(view: CellView, p99Limit?: number): ChartSpec | undefined {
  const ts = view.cell.timeseries ?? [];
  if (ts.length === 0) return undefined;
  const series = (key: 'framesPerSec' | 'p99' | 'connections') => ts.map((p) => ({ x: p.t, y: p[key] }));
  const line = { pointRadius: 0, pointHitRadius: 4, borderWidth: 1.5, fill: false };
  const peak = Math.max(...ts.map((p) => p.p99));
  const showLimit = p99Limit !== undefined && peak >= p99Limit * 0.6;
  return {
    id: `chart-ts-${view.index}`,
    kind: 'timeseries',
    title: view.label,
    height: 230,
    config: {
      type: 'line',
      data: {
        datasets: [
          { ...line, label: 'frames/s', yAxisID: 'yFps', data: series('framesPerSec'), borderColor: '#4e79a7', backgroundColor: '#4e79a7' },
          { ...line, label: 'p99 ms', yAxisID: 'yMs', data: series('p99'), borderColor: '#e15759', backgroundColor: '#e15759' },
          {
            ...line,
            label: 'connections',
            yAxisID: 'yConn',
            data: series('connections'),
            borderColor: '#9c9c9c',
            backgroundColor: '#9c9c9c',
            stepped: true,
            borderDash: [2, 2],
          },
          ...(!showLimit
            ? []
            : [
                {
                  label: 'p99 limit',
                  yAxisID: 'yMs',
                  data: [
                    { x: 0, y: p99Limit },
                    { x: ts[ts.length - 1]?.t ?? 0, y: p99Limit },
                  ],
                  borderColor: 'rgba(225, 87, 89, 0.55)',
                  borderDash: [6, 4],
                  borderWidth: 1,
                  pointRadius: 0,
                  pointHitRadius: 0,
                  fill: false,
                },
              ]),
          ...pausedDataset(ts),
          ...eventDatasets(view),
        ],
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, title: axisTitle('seconds') },
          yMs: { position: 'left', beginAtZero: true, title: axisTitle('p99 ms'), ticks: { color: '#e15759' } },
          yFps: { position: 'right', beginAtZero: true, title: axisTitle('frames/s'), grid: { drawOnChartArea: false }, ticks: { color: '#4e79a7' } },
          yConn: { position: 'right', beginAtZero: true, title: axisTitle('conns'), grid: { drawOnChartArea: false }, ticks: { color: '#777', precision: 0 } },
          yEv: { display: false, min: 0, max: 1 },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } } },
      },
    },
  };
}

export function timeseriesCharts(model: ReportModel): Array<{ view: CellView; spec: ChartSpec }> {
  const limit = columnLimit(model, 'frame.p99')?.limit;
  return model.cells.flatMap((view) => {
    const spec = timeseriesChart(view, limit);
    return spec ? [{ view, spec }] : [];
  });
}

export function eventList(view: CellView): SafeHtml {
  const events = view.cell.events ?? [];
  if (events.length === 0) return html``;
  return html`<ul class="events">${events.map((e) => html`<li><span class="event-t">${fmtNum(e.t)} s</span> <strong>${e.kind}</strong> ${e.shard ? `shard ${e.shard}: ` : ''}${e.detail}</li>`)}</ul>`;
}
