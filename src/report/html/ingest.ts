// The "Ingest" section of the report, for upload cells: accounting (sent = covered + dropped + lost),
// answer lag, send lateness, ack, batching, the server's buffer, 429s and retries, context size,
// bandwidth per camera against its budget, lag drift, and per cell a timeline of answer lag and
// buffer depth with the faults marked, plus how lag and buffer recovered after each fault.
import type { IngestCellResult } from '../../results/ingest.js';
import type { CellResult } from '../../results/types.js';
import { faultMarks, kindColour } from './chaos-charts.js';
import { axisTitle, type ChartSpec } from '../../html/chart-spec.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { DASH, fmtBytes, fmtInt, fmtMs, fmtNum } from '../../html/format.js';
import { chartFigure, EMPTY_PART, section, type PagePart } from '../../html/page.js';

const line = { pointRadius: 0, pointHitRadius: 4, borderWidth: 1.8, fill: false };
const bar = { type: 'bar', barPercentage: 1, categoryPercentage: 0.9, borderWidth: 0 };

export const ingestCells = (cells: readonly CellResult[]): Array<CellResult & { ingest: IngestCellResult }> => cells.filter((c): c is CellResult & { ingest: IngestCellResult } => c.ingest !== undefined);

function timeline(cell: CellResult & { ingest: IngestCellResult }, i: number): ChartSpec | undefined {
  const ts = cell.ingest.timeseries;
  if (ts.length === 0) return undefined;
  const faults = cell.events.filter((e) => ['model-api', 'restart-server', 'kill-clients', 'drop-connections', 'network'].includes(e.kind));
  const marks = faultMarks(faults.map((e) => ({ impact: { t: e.t, kind: e.kind, hit: e.hit ?? null, baselineFps: 0, recoverSec: null, framesLost: 0 }, event: e })));
  const xy = (f: (p: (typeof ts)[number]) => number | undefined) => ts.map((p) => ({ x: p.t, y: f(p) ?? null }));
  const hasBuffer = ts.some((p) => p.bufferDepth !== undefined);
  return {
    id: `ingest-${i}`,
    kind: 'chaos',
    title: `${cell.id}: answer lag and server buffer`,
    height: 300,
    wide: true,
    config: {
      type: 'line',
      data: {
        datasets: [
          { ...line, label: 'answer lag p99 (ms)', yAxisID: 'yLag', data: xy((p) => (p.answersPerSec > 0 ? p.lagP99 : undefined)), borderColor: '#e15759', backgroundColor: '#e15759', spanGaps: false },
          { ...line, label: 'answer lag p50 (ms)', yAxisID: 'yLag', data: xy((p) => (p.answersPerSec > 0 ? p.lagP50 : undefined)), borderColor: '#f28e2b', backgroundColor: '#f28e2b', borderDash: [4, 3] },
          ...(hasBuffer ? [{ ...line, label: 'server buffer (frames)', yAxisID: 'yBuf', data: xy((p) => p.bufferDepth), borderColor: '#4e79a7', backgroundColor: '#4e79a7', stepped: true }] : []),
          { ...bar, label: 'dropped + lost / s', yAxisID: 'yCount', data: xy((p) => p.dropped + p.lost), backgroundColor: 'rgba(176, 122, 161, 0.75)' },
          { ...bar, label: '429s / s', yAxisID: 'yCount', data: xy((p) => p.api429 ?? 0), backgroundColor: 'rgba(237, 201, 72, 0.85)' },
          {
            label: 'faults',
            fbRole: 'fault',
            yAxisID: 'yEv',
            showLine: false,
            data: faults.map((e, k) => ({ x: e.t, y: 0.985, label: marks[k]?.label ?? e.kind, detail: e.detail })),
            backgroundColor: faults.map((e) => kindColour(e.kind)),
            borderColor: faults.map((e) => kindColour(e.kind)),
            pointStyle: 'triangle',
            rotation: 180,
            pointRadius: 6,
          },
        ],
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        layout: { padding: { top: 4 } },
        scales: {
          x: { type: 'linear', min: 0, title: axisTitle('seconds') },
          yLag: { position: 'left', beginAtZero: true, title: axisTitle('capture → answer, ms'), ticks: { color: '#e15759' } },
          yBuf: { display: hasBuffer, position: 'right', beginAtZero: true, title: axisTitle('buffered frames'), grid: { drawOnChartArea: false }, ticks: { color: '#4e79a7', precision: 0 } },
          yCount: { position: 'right', beginAtZero: true, title: axisTitle('per second'), grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
          yEv: { display: false, min: 0, max: 1 },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } }, fbFaults: { marks } },
      },
    },
  };
}

const reasons = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${fmtInt(n)}`)
    .join(', ') || DASH;

function cellRow(c: CellResult & { ingest: IngestCellResult }): SafeHtml {
  const g = c.ingest;
  const a = g.accounting;
  const s = g.server;
  const over = g.bandwidth.budgetRatio > 1;
  return html`<tr>
<td>${c.id}${(c.failures ?? []).map((f) => html`<br><span class="fail-text">${f.reason}</span>`)}</td>
<td>${fmtInt(a.sent)}</td><td>${fmtInt(a.covered)}</td><td title="${reasons(a.droppedByReason)}">${fmtInt(a.dropped)}</td><td>${fmtInt(a.lost)}</td><td>${fmtInt(a.unsent)}</td>
<td>${a.balanced ? '✓' : '✗'}</td>
<td>${fmtMs(g.latencyMs.answerLag.p50)}</td><td>${fmtMs(g.latencyMs.answerLag.p99)}</td><td>${fmtMs(g.latencyMs.sendLateness.p99)}</td><td>${fmtMs(g.latencyMs.ack.p99)}</td>
<td>${fmtNum(g.batchSize.mean)}</td><td>${s ? fmtMs(s.intervalMs.p50) : DASH}</td><td>${s ? fmtInt(s.bufferDepthMax) : DASH}</td>
<td>${s ? fmtInt(s.api429) : DASH}</td><td>${s ? fmtInt(s.retries) : DASH}</td><td>${fmtMs(g.latencyMs.modelApi.p99)}</td><td>${fmtInt(s?.contextCharsMax ?? g.contextChars.max)}</td>
<td class="${over ? 'fail-text' : ''}">${fmtBytes(g.bandwidth.bytesPerSecPerClient)}/s (${fmtNum(g.bandwidth.budgetRatio * 100)} %)</td>
<td>${g.lagDrift ? `${g.lagDrift.verdict}${g.lagDrift.verdict === 'insufficient-data' ? '' : ` (${fmtNum(g.lagDrift.changePct)} %)`}` : DASH}</td>
</tr>`;
}

function recoveryTable(cells: ReadonlyArray<CellResult & { ingest: IngestCellResult }>): SafeHtml {
  const rows = cells.flatMap((c) => (c.ingest.recovery ?? []).map((r) => ({ c, r })));
  if (rows.length === 0) return html``;
  const sec = (x: number | null): string => (x === null ? 'not recovered' : `${fmtNum(x)} s`);
  return html`<h3>Recovery after each fault</h3><div class="table-scroll"><table class="grid-table">
<thead><tr><th>cell</th><th>t</th><th>fault</th><th>lag before</th><th>lag peak</th><th>lag back after</th><th>buffer before</th><th>buffer peak</th><th>buffer back after</th></tr></thead>
<tbody>${rows.map(
    ({ c, r }) => html`<tr><td><code>${c.id}</code></td><td>${fmtNum(r.t)} s</td><td>${r.kind}</td><td>${fmtMs(r.lagBeforeMs)}</td><td>${fmtMs(r.lagPeakMs)}</td><td>${sec(r.lagRecoverSec)}</td>
<td>${r.bufferBefore === null ? DASH : fmtInt(r.bufferBefore)}</td><td>${r.bufferPeak === null ? DASH : fmtInt(r.bufferPeak)}</td><td>${r.bufferBefore === null ? DASH : sec(r.bufferRecoverSec)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The ingest section and its charts, or nothing when no cell uploads. */
export function renderIngestSection(cells: readonly CellResult[]): PagePart {
  const up = ingestCells(cells);
  if (up.length === 0) return EMPTY_PART;
  const specs = up.map((c, i) => timeline(c, i)).filter((s): s is ChartSpec => s !== undefined);
  const table = html`<div class="table-scroll"><table class="grid-table">
<thead><tr><th>cell</th><th>sent</th><th>answered for</th><th>dropped</th><th>lost</th><th>unsent</th><th>balanced</th>
<th>lag p50</th><th>lag p99</th><th>send late p99</th><th>ack p99</th><th>batch mean</th><th>interval p50</th><th>buffer max</th>
<th>429s</th><th>retries</th><th>model p99</th><th>context max</th><th>per camera vs budget</th><th>lag drift</th></tr></thead>
<tbody>${up.map(cellRow)}</tbody></table></div>`;
  const intro =
    'Cameras upload frames; the ingestion server buffers them (receiver loop) and every dispatch interval sends a batch with the previous answers to the model API (dispatcher loop). ' +
    'Lag is capture → answer (from the scheduled capture time, so a camera that sent late shows it); every frame sent is answered for, dropped by the server (reason on hover) or lost in transit.';
  return { html: section('ingest', 'Ingest (upload cells)', html`${table}${recoveryTable(up)}<div class="charts">${specs.map((s) => chartFigure(s))}</div>`, intro), charts: specs };
}
