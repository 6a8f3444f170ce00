// Chart specs of the chaos section: a per-cell timeline (frames/s and connections as lines,
// reconnects and lost frames per second as bars, every fault as a labelled marker, network windows
// and restart downtime as shaded bands) and the frames lost per fault kind.
import type { CellResult, FaultImpact, RunEvent } from '../../results/types.js';
import { axisTitle, type ChartSpec } from '../../html/chart-spec.js';
import { fmtInt } from '../../html/format.js';

const KIND_COLOURS: Record<string, string> = {
  'kill-clients': '#d9822b',
  'drop-connections': '#c0392b',
  'restart-server': '#8e44ad',
  command: '#2e7d5b',
  network: '#3f6e9c',
  'kill-gateway': '#b03a2e',
  'restart-redis': '#7d3c98',
  'kill-generator': '#a04000',
  'slow-generator': '#1f618d',
  'model-api': '#b8860b',
};

/** Band fill for faults whose effect lasts (t → endsAt). */
const BAND_FILLS: Record<string, string> = {
  network: 'rgba(63, 110, 156, 0.16)',
  'restart-server': 'rgba(142, 68, 173, 0.13)',
  'kill-gateway': 'rgba(176, 58, 46, 0.12)',
  'restart-redis': 'rgba(125, 60, 152, 0.13)',
  'kill-generator': 'rgba(160, 64, 0, 0.12)',
  'slow-generator': 'rgba(31, 97, 141, 0.13)',
  'model-api': 'rgba(237, 201, 72, 0.18)',
};

export const kindColour = (kind: string): string => KIND_COLOURS[kind] ?? '#555';

/** One fault as the page script draws it: a dashed line at t, a band to endsAt, a label on top. */
export interface FaultMark {
  t: number;
  endsAt?: number;
  label: string;
  colour: string;
  band?: string;
}

export function faultLabel(kind: string, hit: number | null | undefined): string {
  return hit === null || hit === undefined ? kind : `${kind} ×${fmtInt(hit)}`;
}

export function faultMarks(faults: ReadonlyArray<{ impact: FaultImpact; event?: RunEvent }>): FaultMark[] {
  return faults.map(({ impact, event }) => {
    const band = BAND_FILLS[impact.kind];
    const endsAt = event?.endsAt;
    return {
      t: impact.t,
      label: faultLabel(impact.kind, impact.hit),
      colour: kindColour(impact.kind),
      ...(band && endsAt !== undefined && endsAt > impact.t ? { endsAt, band } : {}),
    };
  });
}

const line = { pointRadius: 0, pointHitRadius: 4, borderWidth: 1.8, fill: false };
const bar = { type: 'bar', barPercentage: 1, categoryPercentage: 0.9, borderWidth: 0 };

export function chaosTimelineChart(id: string, title: string, cell: CellResult, faults: ReadonlyArray<{ impact: FaultImpact; event?: RunEvent }>): ChartSpec | undefined {
  const ts = cell.timeseries ?? [];
  if (ts.length === 0) return undefined;
  const marks = faultMarks(faults);
  const xMax = Math.max(ts[ts.length - 1]?.t ?? 0, ...marks.map((m) => m.endsAt ?? m.t));
  const xy = (f: (p: (typeof ts)[number]) => number) => ts.map((p) => ({ x: p.t, y: f(p) }));
  return {
    id,
    kind: 'chaos',
    title,
    height: 320,
    wide: true,
    config: {
      type: 'line',
      data: {
        datasets: [
          { ...line, label: 'frames/s', yAxisID: 'yFps', data: xy((p) => p.framesPerSec), borderColor: '#4e79a7', backgroundColor: '#4e79a7' },
          {
            ...line,
            label: 'connections',
            yAxisID: 'yConn',
            data: xy((p) => p.connections),
            borderColor: '#8a8a8a',
            backgroundColor: '#8a8a8a',
            stepped: true,
            borderDash: [3, 3],
          },
          { ...bar, label: 'reconnects/s', yAxisID: 'yCount', data: xy((p) => p.reconnects ?? 0), backgroundColor: 'rgba(118, 183, 178, 0.85)' },
          { ...bar, label: 'lost frames/s', yAxisID: 'yCount', data: xy((p) => p.lost ?? 0), backgroundColor: 'rgba(225, 87, 89, 0.8)' },
          {
            label: 'faults',
            fbRole: 'fault',
            yAxisID: 'yEv',
            showLine: false,
            data: faults.map(({ impact, event }, i) => ({ x: impact.t, y: 0.985, label: marks[i]?.label ?? impact.kind, detail: event?.detail ?? '' })),
            backgroundColor: marks.map((m) => m.colour),
            borderColor: marks.map((m) => m.colour),
            pointStyle: 'triangle',
            rotation: 180,
            pointRadius: 6,
            pointHoverRadius: 8,
          },
        ],
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        layout: { padding: { top: 4 } },
        scales: {
          x: { type: 'linear', min: 0, max: Math.ceil(xMax), title: axisTitle('seconds') },
          yFps: { position: 'left', beginAtZero: true, grace: '8%', title: axisTitle('frames/s'), ticks: { color: '#4e79a7' } },
          yConn: { position: 'right', beginAtZero: true, grace: '12%', title: axisTitle('connections'), grid: { drawOnChartArea: false }, ticks: { color: '#777', precision: 0 } },
          yCount: { position: 'right', beginAtZero: true, title: axisTitle('reconnects, lost / s'), grid: { drawOnChartArea: false }, ticks: { color: '#b5484a', precision: 0 } },
          yEv: { display: false, min: 0, max: 1 },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } }, fbFaults: { marks } },
      },
    },
  };
}

/** Horizontal bars: frames lost per fault kind (kinds in first-seen order). */
export function lossByKindChart(id: string, title: string, lossByKind: Record<string, number>): ChartSpec | undefined {
  const kinds = Object.keys(lossByKind);
  if (kinds.length === 0) return undefined;
  return {
    id,
    kind: 'chaos',
    title,
    height: 70 + 30 * kinds.length,
    config: {
      type: 'bar',
      data: {
        labels: kinds,
        datasets: [{ label: 'frames lost', data: kinds.map((k) => lossByKind[k] ?? 0), backgroundColor: kinds.map(kindColour), maxBarThickness: 22 }],
      },
      options: {
        indexAxis: 'y',
        scales: { x: { beginAtZero: true, title: axisTitle('frames lost'), ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    },
  };
}
