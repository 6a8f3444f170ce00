// The soak section of the HTML report (present when results.soak exists): stages, drift verdict
// per metric over the hold (first vs last 10 %, trend slope), drift thresholds, connection churn,
// per-window charts with trend lines and the target's scraped /metrics series.
import { driftSummary, signedPctText, slopeText, spanText, valueText } from '../../soak/drift-text.js';
import type { DriftMetric, DriftReport, DriftThresholdResult, DriftVerdict, SoakResults } from '../../results/types.js';
import type { ChartSpec } from '../../html/chart-spec.js';
import { holdCharts, scrapeCharts } from './drift-charts.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { DASH, fmtDuration, fmtInt, fmtNum } from '../../html/format.js';
import { chartFigure, EMPTY_PART, section, type PagePart } from '../../html/page.js';

function verdictPill(verdict: DriftVerdict): SafeHtml {
  if (verdict === 'stable') return html`<span class="pill pass">stable</span>`;
  if (verdict === 'drifting') return html`<span class="pill fail">drifting</span>`;
  if (verdict === 'not-measured') return html`<span class="pill fail">not measured</span>`;
  return html`<span class="badge warn">insufficient data</span>`;
}

function stagesText(soak: SoakResults): string {
  const stages = soak.stages.map((s) => `${s.duration} → ${fmtInt(s.target)}`).join(', ');
  const peak = soak.peak !== undefined ? `peak ${fmtInt(soak.peak)}${soak.multiplier !== undefined ? ` × ${fmtNum(soak.multiplier)}` : ''} · ` : '';
  return `${peak}${stages || DASH}`;
}

function metricRow(m: DriftMetric): SafeHtml {
  const insufficient = m.verdict === 'insufficient-data' || m.verdict === 'not-measured';
  return html`<tr class="${m.verdict === 'drifting' ? 'row-fail' : ''}">
<td style="white-space:normal;min-width:240px">${m.label} <code>${m.metric}</code>${m.source ? html`<br><span class="muted">${m.source}</span>` : ''}</td>
<td class="num">${insufficient && m.points === 0 ? DASH : valueText(m.first, m.unit)}</td>
<td class="num">${insufficient && m.points === 0 ? DASH : valueText(m.last, m.unit)}</td>
<td class="num">${insufficient ? DASH : signedPctText(m.changePct)}</td>
<td class="num">${insufficient ? DASH : slopeText(m)}</td>
<td class="num">${insufficient ? DASH : fmtNum(m.trendZ, 2)}</td>
<td title="${m.sentence}">${verdictPill(m.verdict)}</td></tr>`;
}

function verdictTable(drift: DriftReport): SafeHtml {
  return html`<div class="table-scroll"><table class="grid-table drift"><thead><tr><th>Metric</th>
<th class="num" title="median over the first 10 % of the hold">First ${spanText(drift.edgeSec)}</th>
<th class="num" title="median over the last 10 % of the hold">Last ${spanText(drift.edgeSec)}</th>
<th class="num">Change</th><th class="num" title="Theil–Sen slope">Slope</th><th class="num" title="Mann–Kendall z; |z| ≥ 1.96 is a trend at 5 %">Trend z</th>
<th>Verdict</th></tr></thead>
<tbody>${drift.metrics.map(metricRow)}</tbody></table></div>`;
}

/** Sentences worth reading beyond the pills: drifting, unjudged, and large changes without a trend. */
function notes(drift: DriftReport): SafeHtml {
  const worth = drift.metrics.filter((m) => m.verdict !== 'stable' || Math.abs(m.changePct) >= 10);
  if (worth.length === 0) return html``;
  return html`<ul class="drift-notes">${worth.map((m) => html`<li>${m.sentence}${m.source ? html` <span class="muted">(${m.source})</span>` : ''}</li>`)}</ul>`;
}

function driftStatusPill(t: DriftThresholdResult): SafeHtml {
  if (t.status === 'skipped') return html`<span class="badge warn">SKIPPED</span>`;
  if (t.status === 'not_measured' || (!t.ok && t.value === null)) return html`<span class="pill fail">NOT MEASURED</span>`;
  return t.ok ? html`<span class="pill pass">PASS</span>` : html`<span class="pill fail">FAIL</span>`;
}

function thresholdTable(soak: SoakResults): SafeHtml {
  const list = soak.driftThresholds ?? [];
  if (list.length === 0) return html``;
  return html`<h3>Drift thresholds</h3><table class="grid-table thresholds"><thead><tr><th>Status</th><th>Threshold</th><th class="num">Measured</th></tr></thead>
<tbody>${list.map(
    (t) => html`<tr class="${t.ok ? '' : 'row-fail'}"><td>${driftStatusPill(t)}</td>
<td><code>${t.expr}</code></td><td class="num">${t.value === null ? `not measured${t.reason ? ` (${t.reason})` : ''}` : fmtNum(t.value)}</td></tr>`,
  )}</tbody></table>`;
}

function churnLine(drift: DriftReport): SafeHtml {
  const c = drift.churn;
  return html`<p><strong>Connection churn:</strong> ${fmtInt(c.reconnects)} reconnects over the hold (${fmtNum(c.reconnectsPerMin)} per minute); open connections ranged ${fmtInt(c.connectionsMin)}–${fmtInt(c.connectionsMax)}.</p>`;
}

function scrapeNotes(soak: SoakResults): SafeHtml {
  if (soak.scrape.length === 0) return html`<p class="muted">The target's /metrics was not scraped (use <code>--scrape URL</code>).</p>`;
  return html`${soak.scrape.map((r) => {
    const kept = `${r.series.length} series kept${r.scrapes !== undefined ? ` from ${fmtInt(r.scrapes)} scrapes` : ''}${r.droppedSeries ? `, ${fmtInt(r.droppedSeries)} dropped (series cap)` : ''}`;
    if (r.errors === 0) return html`<p class="hint"><code>${r.url}</code>: ${kept}.</p>`;
    return html`<div class="banner warn"><strong>${fmtInt(r.errors)} failed scrape${r.errors === 1 ? '' : 's'}</strong> of <code>${r.url}</code> (${kept}).${r.lastError ? html`<span class="detail">last error: ${r.lastError}</span>` : ''}</div>`;
  })}`;
}

function figures(specs: ChartSpec[]): SafeHtml {
  return specs.length === 0 ? html`` : html`<div class="charts small">${specs.map((s) => chartFigure(s))}</div>`;
}

/** The soak section and its charts, or nothing when the results carry no soak block. */
export function renderDriftSection(soak: SoakResults | undefined): PagePart {
  if (!soak) return EMPTY_PART;
  const drift = soak.drift;
  const hold = drift?.window ?? soak.holdWindow;
  const holdText = hold ? `${fmtDuration(hold.fromSec)} → ${fmtDuration(hold.toSec)} (${fmtDuration(hold.toSec - hold.fromSec)})` : DASH;
  const hCharts = drift ? holdCharts(drift) : [];
  const sCharts = scrapeCharts(soak.scrape, drift);
  const summary = drift
    ? html`<p class="verdict-summary">${verdictPill(drift.verdict)} ${driftSummary(drift)}</p>`
    : html`<p class="muted">No drift analysis in this results file (the hold phase did not start or the run was cut short).</p>`;
  const body = html`<dl class="run"><div><dt>Stages</dt><dd>${stagesText(soak)}</dd></div><div><dt>Hold window</dt><dd>${holdText}</dd></div></dl>
${summary}
${thresholdTable(soak)}
${drift ? html`<h3>Per metric</h3>${verdictTable(drift)}${notes(drift)}${churnLine(drift)}` : ''}
${figures(hCharts)}
<h3>Target /metrics</h3>
${scrapeNotes(soak)}
${figures(sCharts)}`;
  const intro = 'Drift over the hold phase: medians of the first and last 10 % compared, a Theil–Sen trend line fitted; a metric is drifting when it changed by 10 % or more and the trend (Mann–Kendall, 5 %) agrees.';
  return { html: section('soak', 'Soak: drift over the hold', body, intro), charts: [...hCharts, ...sCharts] };
}
