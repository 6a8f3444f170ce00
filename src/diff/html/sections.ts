// The diff page's sections: verdict header and warnings, what got worse and better, the two runs,
// one table per cell, added/removed cells and the method. Every string from a results file is escaped.
import type { CellResult, Results } from '../../results/types.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { DASH, fmtNum, fmtTime } from '../../html/format.js';
import type { MetricDiff, Verdict } from '../compare.js';
import { VERDICT_WORDS, changeText, headline, methodText, rankChanges, tallyText, valueText } from '../describe.js';
import type { CellDiff, DiffInput, DiffReport } from '../diff.js';
import { DIFF_METRICS, formatAmount } from '../metrics.js';
import { VERDICT_COLOURS } from './charts.js';

const MAX_SUMMARY_ITEMS = 12;

export function verdictBadge(d: MetricDiff): SafeHtml {
  const unverified = d.basis === 'none' && (d.verdict === 'worse' || d.verdict === 'better') ? html` <span class="muted">(no noise estimate)</span>` : '';
  switch (d.verdict) {
    case 'worse':
      return html`<span class="pill fail">worse</span>${unverified}`;
    case 'better':
      return html`<span class="pill pass">better</span>${unverified}`;
    case 'noise':
      return html`<span class="badge warn">within noise</span>${d.underpowered ? html` <span class="muted">(too few samples)</span>` : ''}`;
    case 'unchanged':
      return html`<span class="muted">unchanged</span>`;
  }
}

export function cellAnchor(index: number): string {
  return `cell-${index}`;
}

function changeItem(report: DiffReport, label: string, d: MetricDiff): SafeHtml {
  const index = report.cells.findIndex((c) => c.metrics.includes(d));
  return html`<li><a href="#${cellAnchor(index)}">${label}</a>: ${d.metric.label} ${valueText(d, 'base')} → ${valueText(d, 'head')} <strong>${changeText(d)}</strong>${
    d.basis === 'none' ? html` <span class="muted">(no noise estimate)</span>` : ''
  }</li>`;
}

function changeList(report: DiffReport, verdict: Verdict, title: string): SafeHtml {
  const rows = rankChanges(report, [verdict]);
  if (rows.length === 0) return html`<div><h3>${title}</h3><p class="muted">Nothing.</p></div>`;
  const more = rows.length - MAX_SUMMARY_ITEMS;
  return html`<div><h3>${title} (${rows.length})</h3><ul class="verdict-fails">${rows.slice(0, MAX_SUMMARY_ITEMS).map((r) => changeItem(report, r.label, r.diff))}${
    more > 0 ? html`<li class="muted">… and ${more} more below</li>` : ''
  }</ul></div>`;
}

export function renderHeader(report: DiffReport, title: string): SafeHtml {
  const head = headline(report);
  const banners = report.warnings.map((w) => html`<div class="banner warn" role="alert">${w}</div>`);
  return html`<header class="verdict ${head.ok ? 'pass' : 'fail'}" id="verdict">
<div class="verdict-word">${head.ok ? 'OK' : 'WORSE'}</div>
<div><h1>${title}</h1><p class="verdict-summary">${head.text.replace(/^\S+\s/, '')} · ${tallyText(report)}</p></div>
</header>${banners}`;
}

export function renderSummary(report: DiffReport, chart: SafeHtml): SafeHtml {
  const legend = (['worse', 'better', 'noise'] as const).map((v) => html`<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:${VERDICT_COLOURS[v]}"></span> ${VERDICT_WORDS[v]} &nbsp; `);
  return html`<div class="grid-pair">${changeList(report, 'worse', 'Worse')}${changeList(report, 'better', 'Better')}</div>
<p class="hint">${report.tally.noise} within noise and ${report.tally.unchanged} unchanged comparisons are not listed here; every cell’s table below has them all.</p>
${chart}<p class="hint">${legend}</p>`;
}

function runColumn(role: string, input: DiffInput): SafeHtml {
  const r: Results = input.results;
  const name = typeof r.scenario?.name === 'string' ? r.scenario.name : DASH;
  const item = (term: string, value: unknown): SafeHtml => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<h3>${role}</h3><dl class="run">
${item('File', html`<code>${input.file}</code>`)}${item('Scenario', name)}${item('Run', `${r.runId ?? DASH} · ${fmtTime(r.startedAt)}`)}
${item('Tool', `${r.tool?.name ?? ''} ${r.tool?.version ?? ''}`)}${item('Target', html`<code>${r.environment?.target ?? DASH}</code>`)}
${item('Machine', r.environment ? `Node ${r.environment.node} · ${r.environment.cpus} × ${r.environment.cpuModel}` : DASH)}
${item('Cells', String(r.cells.length))}
</dl>`;
}

export function renderRuns(report: DiffReport): SafeHtml {
  return html`${runColumn('Base', report.base)}${runColumn('Head', report.head)}`;
}

export function renderCellTable(cell: CellDiff): SafeHtml {
  const rows = cell.metrics.map(
    (d) => html`<tr class="${d.verdict === 'worse' ? 'row-fail' : ''}"><td>${d.metric.label}</td><td class="num">${valueText(d, 'base')}</td><td class="num">${valueText(d, 'head')}</td>
<td class="num">${changeText(d)}</td><td>${verdictBadge(d)}</td><td class="muted" style="white-space:normal">${d.reason}</td></tr>`,
  );
  return html`<div class="table-scroll"><table class="grid-table"><thead><tr><th>Metric</th><th class="num">Base</th><th class="num">Head</th><th class="num">Change</th><th>Verdict</th><th>Why</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export function cellIntro(cell: CellDiff): string {
  const { base, head, matchedBy } = cell.pair;
  const ids = base.id === head.id ? `cell ${base.id}` : `base cell ${base.id}, head cell ${head.id}`;
  const repeats = (c: CellResult): string => String(c.repeats?.length ?? 1);
  return `${ids}, matched by ${matchedBy === 'params' ? 'params' : 'cell id'} · repeats ${repeats(base)} / ${repeats(head)} · measured ${fmtNum(base.durationSec)} s / ${fmtNum(head.durationSec)} s`;
}

export function renderAddedRemoved(report: DiffReport): SafeHtml {
  const list = (cells: CellResult[]): SafeHtml =>
    cells.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<ul>${cells.map(
          (c) =>
            html`<li><code>${c.id}</code> <span class="muted">${Object.entries(c.params ?? {})
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(', ')}</span></li>`,
        )}</ul>`;
  return html`<div class="grid-pair"><div><h3>Added (only in head)</h3>${list(report.match.added)}</div><div><h3>Removed (only in base)</h3>${list(report.match.removed)}</div></div>`;
}

export function renderMethod(report: DiffReport): SafeHtml {
  const s = report.settings;
  const source = { window: 'per-second windows', repeat: 'per-repeat values (≥ 3 repeats)', count: 'none: a count' } as const;
  const rows = DIFF_METRICS.map(
    (m) =>
      html`<tr><td><code>${m.key}</code></td><td>${m.label}</td><td>${m.better} is better</td><td>${source[m.noise]}</td><td class="num">${fmtNum((s.minEffect[m.key] ?? 0) * 100)}%</td><td class="num">${formatAmount(m.unit, s.floor[m.key] ?? 0)}</td></tr>`,
  );
  return html`${methodText(report).map((p) => html`<p>${p}</p>`)}
<table class="grid-table"><thead><tr><th>Key</th><th>Metric</th><th>Direction</th><th>Noise sample</th><th class="num">Min effect</th><th class="num">Floor</th></tr></thead><tbody>${rows}</tbody></table>
<p class="hint">α = ${fmtNum(s.alpha)}. Keys are the names used by --min-effect, --floor and --max-regression.</p>`;
}
