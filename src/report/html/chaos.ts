// The chaos section of the HTML report (present when some cell has `chaos`): per cell a timeline of
// frames/s, connections, reconnects and losses with every fault marked, a table of the faults (what
// each hit, time to recover, frames lost, command status and output), loss per fault kind, recovery
// and reconnect summaries, and the frame accounting. Event details and command output come from
// user commands and servers, so every one of them goes through the escaping `html` tag.
import type { CellResult, ChaosSummary, FaultImpact, RunEvent } from '../../results/types.js';
import { chaosTimelineChart, kindColour, lossByKindChart } from './chaos-charts.js';
import type { ChartSpec } from '../../html/chart-spec.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { DASH, fmtInt, fmtMs, fmtNum } from '../../html/format.js';
import type { CellView, ReportModel } from './model.js';
import { chartFigure, EMPTY_PART, section, type PagePart } from '../../html/page.js';

export interface FaultRow {
  impact: FaultImpact;
  event?: RunEvent;
}

const NOTICE_KINDS = new Set(['chaos-skipped', 'chaos-error']);

const STYLE = html`<style>
.chaos-cell + .chaos-cell { border-top: 1px solid var(--line); margin-top: 18px; padding-top: 6px; }
.chaos-cell h3 { color: var(--fg); font-size: 15px; }
.chaos-pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 440px); gap: 12px 28px; align-items: start; margin-top: 14px; }
@media (max-width: 1100px) { .chaos-pair { grid-template-columns: minmax(0, 1fr); } }
table.faults td.detail { white-space: normal; min-width: 260px; max-width: 620px; overflow-wrap: anywhere; }
table.faults td.bad { white-space: nowrap; }
.kind-dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }
details.output { margin-top: 4px; } details.output summary { cursor: pointer; color: var(--accent); font-size: 12px; }
details.output pre { margin: 4px 0 0; max-height: 260px; overflow: auto; background: #1d2330; color: #e6e9ef; padding: 8px 10px;
  border-radius: 4px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.acct-ok { color: var(--pass); font-weight: 700; } .acct-bad { color: var(--fail); font-weight: 700; }
ul.chaos-notices { margin: 8px 0 0; padding-left: 18px; color: var(--warn); font-size: 12.5px; } ul.chaos-notices li { overflow-wrap: anywhere; }
</style>`;

/** Pairs each fault impact with the event it came from (same kind and time, in order). */
export function pairFaults(cell: CellResult, chaos: ChaosSummary): FaultRow[] {
  const used = new Set<number>();
  return chaos.faults.map((impact) => {
    const i = cell.events.findIndex((e, j) => !used.has(j) && e.kind === impact.kind && e.t === impact.t);
    if (i === -1) return { impact };
    used.add(i);
    return { impact, event: cell.events[i] };
  });
}

const COMMAND_STATUS = /^([\s\S]*?): (exit -?\d+ after \S+|exit null after \S+|timed out after [\s\S]+|killed by \S+ after \S+|could not start: [\s\S]+)$/;

/** Splits a command event's detail into the command and its exit status. */
export function commandStatus(detail: string): { run: string; status: string; ok: boolean } | undefined {
  const m = COMMAND_STATUS.exec(detail);
  if (!m) return undefined;
  const status = m[2] ?? '';
  return { run: m[1] ?? '', status, ok: /^exit 0 /.test(status) };
}

function outputTail(output: string | undefined): SafeHtml {
  if (output === undefined || output.trim() === '') return html``;
  const lines = output.replace(/\n$/, '').split('\n').length;
  return html`<details class="output"><summary>output tail (${fmtInt(lines)} line${lines === 1 ? '' : 's'})</summary><pre>${output}</pre></details>`;
}

function whatItHit(row: FaultRow): SafeHtml {
  const e = row.event;
  if (!e) return html`<span class="muted">${DASH}</span>`;
  const cmd = e.kind === 'command' ? commandStatus(e.detail) : undefined;
  if (!cmd) return html`${e.detail}${outputTail(e.output)}`;
  return html`<code>${cmd.run}</code> <span class="pill ${cmd.ok ? 'pass' : 'fail'}">${cmd.status}</span>${outputTail(e.output)}`;
}

function timeText(row: FaultRow): string {
  const end = row.event?.endsAt;
  return end !== undefined && end > row.impact.t ? `${fmtNum(row.impact.t)} → ${fmtNum(end)} s` : `${fmtNum(row.impact.t)} s`;
}

function faultRow(row: FaultRow, index: number): SafeHtml {
  const f = row.impact;
  const recovered = f.recoverSec !== null;
  const recoveryCell = f.notMeasured
    ? html`<td class="num muted" data-v="-1" title="frames/s was 0 before the fault: no level to recover to">not measured (0 frames/s before)</td>`
    : recovered
      ? html`<td class="num" data-v="${f.recoverSec}">${fmtNum(f.recoverSec)} s</td>`
      : html`<td class="num bad" data-v="${Number.MAX_SAFE_INTEGER}">not recovered</td>`;
  return html`<tr class="${recovered ? '' : 'row-fail'}">
<td class="num" data-v="${f.t}">${timeText(row)}</td>
<td data-v="${index}"><span class="kind-dot" style="background:${kindColour(f.kind)}"></span>${f.kind}</td>
<td class="detail">${whatItHit(row)}</td>
<td class="num" data-v="${f.hit ?? ''}">${f.hit === null ? DASH : fmtInt(f.hit)}</td>
<td class="num" data-v="${f.baselineFps}">${fmtNum(f.baselineFps)}</td>
${recoveryCell}
<td class="num" data-v="${f.framesLost}">${fmtInt(f.framesLost)}</td></tr>`;
}

function faultTable(rows: FaultRow[]): SafeHtml {
  const th = (text: string, numeric: boolean, title: string): SafeHtml => html`<th class="${numeric ? 'num' : ''}" data-sort="${numeric ? 'num' : 'text'}" aria-sort="none" title="${title}"><button type="button">${text}</button></th>`;
  return html`<div class="table-scroll"><table class="grid-table faults sortable"><thead><tr>
${th('Time', true, 'When the fault fired (→ when its effect ended), seconds into the measurement')}
${th('Kind', false, 'Fault kind')}
<th>What it hit</th>
${th('Hit', true, 'Connections or clients the fault hit')}
${th('Baseline fps', true, 'Frames/s in the seconds before the fault: the level to get back to')}
${th('Recovered in', true, 'Seconds until frames/s was back to ≥ 95 % of the baseline')}
${th('Frames lost', true, 'Frames lost by requests that ended between the fault and the recovery')}
</tr></thead><tbody>${rows.map(faultRow)}</tbody></table></div>`;
}

function secText(v: number | null): string {
  return v === null ? DASH : `${fmtNum(v)} s`;
}

function recoveryText(chaos: ChaosSummary): SafeHtml {
  const r = chaos.recoverSec;
  const n = chaos.faults.length;
  const skipped = chaos.notMeasured ?? 0;
  const unmeasured = skipped > 0 ? html` · <span class="bad-sample">${fmtInt(skipped)} of ${fmtInt(n)} not measured (0 frames/s before the fault)</span>` : html``;
  const unrec =
    chaos.unrecovered > 0
      ? html` · <span class="bad-sample">${fmtInt(chaos.unrecovered)} of ${fmtInt(n)} not recovered</span>`
      : skipped === n
        ? html``
        : html` · <span class="headroom">all ${skipped > 0 ? 'measured faults ' : ''}recovered</span>`;
  return html`p50 ${secText(r.p50)} · p99 ${secText(r.p99)} · max ${secText(r.max)}${unrec}${unmeasured}`;
}

function reconnectText(cell: CellResult): SafeHtml {
  const rec = cell.latencyMs.reconnect;
  const counts = html`${fmtInt(cell.counts.reconnects)} reconnects · ${fmtInt(cell.counts.resumes ?? 0)} resumed streams`;
  if (!rec || rec.count === 0) return counts;
  return html`${counts}<br>reconnect time p50 ${fmtMs(rec.p50)} · p99 ${fmtMs(rec.p99)} · max ${fmtMs(rec.max)}`;
}

function accountingText(cell: CellResult): SafeHtml {
  const c = cell.counts;
  const holds = c.framesExpected === c.framesReceived + c.framesLost;
  const dup = c.framesDuplicated > 0 ? html` <span class="muted">(${fmtInt(c.framesDuplicated)} duplicates counted apart)</span>` : html``;
  const mark = holds ? html`<span class="acct-ok" title="framesExpected = framesReceived + framesLost holds">✓</span>` : html`<span class="acct-bad">✗ off by ${fmtInt(c.framesExpected - c.framesReceived - c.framesLost)}</span>`;
  return html`<code>framesExpected = framesReceived + framesLost</code><br>${fmtInt(c.framesExpected)} = ${fmtInt(c.framesReceived)} + ${fmtInt(c.framesLost)} ${mark}${dup}`;
}

function summaryList(cell: CellResult, chaos: ChaosSummary): SafeHtml {
  const kinds = Object.keys(chaos.lossByKind);
  return html`<dl class="run">
<div><dt>Faults</dt><dd>${fmtInt(chaos.faults.length)} (${kinds.map((k) => `${k} ×${chaos.faults.filter((f) => f.kind === k).length}`).join(', ')})</dd></div>
<div><dt>Time to recover</dt><dd>${recoveryText(chaos)}</dd></div>
<div><dt>Reconnects</dt><dd>${reconnectText(cell)}</dd></div>
<div><dt>Frame accounting</dt><dd>${accountingText(cell)}</dd></div>
</dl>`;
}

function lossTable(chaos: ChaosSummary): SafeHtml {
  const rows = Object.entries(chaos.lossByKind).map(([kind, lost]) => {
    const of = chaos.faults.filter((f) => f.kind === kind);
    const judged = of.filter((f) => !f.notMeasured);
    const rec = judged.map((f) => f.recoverSec);
    const worst = judged.length === 0 ? html`<span class="muted">not measured</span>` : rec.includes(null) ? html`<span class="bad-sample">not recovered</span>` : html`${secText(Math.max(...(rec as number[])))}`;
    return html`<tr><td><span class="kind-dot" style="background:${kindColour(kind)}"></span>${kind}</td><td class="num">${fmtInt(of.length)}</td><td class="num">${fmtInt(lost)}</td><td class="num">${worst}</td></tr>`;
  });
  return html`<table class="grid-table loss-kinds"><thead><tr><th>Kind</th><th class="num">Faults</th><th class="num">Frames lost</th><th class="num">Worst recovery</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function notices(cell: CellResult): SafeHtml {
  const list = cell.events.filter((e) => NOTICE_KINDS.has(e.kind));
  if (list.length === 0) return html``;
  return html`<ul class="chaos-notices">${list.map((e) => html`<li>${fmtNum(e.t)} s <strong>${e.kind}</strong>: ${e.detail}</li>`)}</ul>`;
}

function cellBlock(view: CellView, chaos: ChaosSummary): PagePart {
  const rows = pairFaults(view.cell, chaos);
  const timeline = chaosTimelineChart(`chart-chaos-${view.index}`, `Timeline: frames/s, connections, reconnects and lost frames per second, ${rows.length} fault${rows.length === 1 ? '' : 's'} marked`, view.cell, rows);
  const loss = lossByKindChart(`chart-chaos-loss-${view.index}`, 'Frames lost per fault kind', chaos.lossByKind);
  const charts = [timeline, loss].filter((s): s is ChartSpec => s !== undefined);
  const body = html`<div class="chaos-cell" id="chaos-${view.index}"><h3>${view.label}</h3>
${summaryList(view.cell, chaos)}
${timeline ? html`<div class="charts">${chartFigure(timeline)}</div>` : html`<p class="muted">No per-second samples to draw a timeline.</p>`}
<div class="chaos-pair"><div><h3>Faults</h3>${faultTable(rows)}${notices(view.cell)}</div>
<div><h3>Per fault kind</h3>${loss ? chartFigure(loss) : ''}${lossTable(chaos)}</div></div>
</div>`;
  return { html: body, charts };
}

/** Cells that carry a chaos summary with at least one fault. */
export function chaosCells(model: ReportModel): Array<{ view: CellView; chaos: ChaosSummary }> {
  return model.cells.flatMap((view) => (view.cell.chaos && view.cell.chaos.faults.length > 0 ? [{ view, chaos: view.cell.chaos }] : []));
}

/** The chaos section and its charts, or nothing when no cell has chaos. */
export function renderChaosSection(model: ReportModel): PagePart {
  const cells = chaosCells(model);
  if (cells.length === 0) return EMPTY_PART;
  const intro =
    'Faults injected during the run. Recovery is the time until frames/s is back to 95 % of its level in the 3 s before the fault; shaded bands are network windows and restart downtime. Bars count reconnects and lost frames per second.';
  const blocks = cells.map(({ view, chaos }) => cellBlock(view, chaos));
  return { html: section('chaos', 'Chaos: faults and recovery', html`${STYLE}${blocks.map((b) => b.html)}`, intro), charts: blocks.flatMap((b) => b.charts) };
}
