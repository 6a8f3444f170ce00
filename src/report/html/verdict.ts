// The top of the report: pass/fail verdict, warning banners, run details and the threshold summary
// (which thresholds failed, where, and by how much: measured value vs limit, % over).
import { formatValue } from './columns.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { fmtDuration, fmtNum, fmtSignedPct, fmtTime, secondsBetween, DASH } from '../../html/format.js';
import { paramName } from '../../text/cell-labels.js';
import type { ReportModel, ThresholdGroup } from './model.js';
import type { CheckView } from './threshold-match.js';

const MAX_LISTED_CELLS = 4;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function notMeasuredText(check: CheckView): string {
  return `not measured${check.reason ? ` (${check.reason})` : ''}`;
}

export function measuredText(check: CheckView): string {
  if (check.status === 'not_measured') return notMeasuredText(check);
  if (check.status === 'skipped') return `skipped: ${notMeasuredText(check)}`;
  if (check.parsed) return formatValue(check.parsed.unit, check.measured);
  return fmtNum(check.measured);
}

const UNIT_SUFFIX: Record<string, string> = { ms: ' ms', s: ' s', fps: ' fps', Bps: ' B/s', bytes: ' B', count: '', ratio: '', pct: '%' };

/** The limit as the scenario wrote it ("< 0.02", "< 150 ms"), never rounded; a ratio also in percent. */
export function limitText(check: CheckView): string {
  const p = check.parsed;
  if (!p) return DASH;
  const pct = p.unit === 'ratio' ? ` (${formatValue('ratio', p.limit)})` : '';
  return `${p.op} ${p.limitText}${UNIT_SUFFIX[p.unit] ?? ''}${pct}`;
}

export function missText(check: CheckView): string {
  const p = check.parsed;
  if (check.status === 'skipped') return 'skipped (optional)';
  if (check.status === 'not_measured') return notMeasuredText(check);
  if (check.ok) return DASH;
  if (check.measured === null) return 'not measured';
  if (!p) return 'not met';
  const under = p.op === '>' || p.op === '>=';
  if (check.overPct !== null) return `${fmtSignedPct(check.overPct)} ${under ? 'under' : 'over'}`;
  const gap = formatValue(p.unit, Math.abs(check.measured - p.limit));
  if (p.op === '==') return `off by ${gap}`;
  if (p.op === '!=') return 'equals the limit';
  return `${gap} ${under ? 'under' : 'over'}`;
}

function headroomText(check: CheckView): string {
  return check.overPct === null || check.overPct > 0 ? DASH : `${fmtNum(-check.overPct, 2)}% headroom`;
}

function summary(model: ReportModel): string {
  const failedGroups = model.groups.filter((g) => g.failed.length > 0);
  const checks = model.groups.reduce((n, g) => n + g.total, 0);
  const failedChecks = failedGroups.reduce((n, g) => n + g.failed.length, 0);
  const notMeasured = failedGroups.reduce((n, g) => n + g.failed.filter((f) => f.check.status === 'not_measured').length, 0);
  const skipped = model.groups.reduce((n, g) => n + g.skipped.length, 0);
  const failedCells = new Set(failedGroups.flatMap((g) => g.failed.map((f) => f.view.index))).size;
  const cells = model.cells.length;
  const brokenCells = model.cells.filter((c) => (c.cell.failures ?? []).length > 0).length;
  const cellText = brokenCells > 0 ? `${brokenCells} of ${plural(cells, 'cell')} failed on their own (see below). ` : '';
  const skippedText = skipped > 0 ? ` ${plural(skipped, 'optional check')} skipped (not measured).` : '';
  const drift = model.results.soak?.driftThresholds ?? [];
  const driftFailed = drift.filter((t) => !t.ok).length;
  const driftText = driftFailed > 0 ? ` ${driftFailed} of ${plural(drift.length, 'drift threshold')} failed or ${driftFailed === 1 ? 'was' : 'were'} not measured (see Soak).` : '';
  if (cells === 0) return 'No cell ran: nothing was measured, so the run cannot pass.';
  if (failedGroups.length > 0) {
    const nm = notMeasured > 0 ? ` (${notMeasured} not measured)` : '';
    return `${cellText}${failedGroups.length} of ${plural(model.groups.length, 'threshold')} failed: ${failedChecks} of ${plural(checks, 'check')}${nm}, in ${failedCells} of ${plural(cells, 'cell')}.${skippedText}${driftText}`;
  }
  if (brokenCells > 0 || driftFailed > 0) return `${cellText}${skippedText}${driftText}`.trim();
  if (!model.results.ok) {
    return `The run is marked failed, though no threshold check failed${model.results.interrupted ? ' (it was interrupted)' : ''}.`;
  }
  if (checks === 0) return `No thresholds were defined; ${plural(cells, 'cell')} measured.`;
  if (skipped > 0) return `Every measured check held (${checks - skipped} of ${plural(checks, 'check')} across ${plural(cells, 'cell')}).${skippedText}`;
  return `All ${plural(model.groups.length, 'threshold')} held in every cell (${plural(checks, 'check')} across ${plural(cells, 'cell')}).`;
}

function banners(model: ReportModel): SafeHtml {
  const { results } = model;
  const out: SafeHtml[] = [];
  if (results.interrupted) {
    out.push(html`<div class="banner warn" role="alert"><strong>Interrupted.</strong> The run was stopped before it finished; these results cover only the cells and seconds measured before the stop.</div>`);
  }
  const satCells = model.cells.filter((c) => c.saturated);
  if (model.saturated || satCells.length > 0) {
    const where = satCells.length > 0 ? ` in ${plural(satCells.length, 'cell')} (${satCells.map((c) => c.label).join(', ')})` : '';
    const detail = model.saturated?.detail ? html` <span class="detail">${model.saturated.detail}</span>` : '';
    out.push(
      html`<div class="banner warn" role="alert"><strong>Harness saturated or paused${where}.</strong> The load generator itself was the bottleneck (event-loop delay or CPU) or its event loop stalled, so latency there may reflect the harness rather than the target.${detail}</div>`,
    );
  }
  const unbalanced = model.cells.filter((c) => c.cell.counts.framesExpected !== c.cell.counts.framesReceived + c.cell.counts.framesLost);
  if (unbalanced.length > 0) {
    out.push(html`<div class="banner warn"><strong>Accounting mismatch.</strong> expected ≠ received + lost in ${unbalanced.map((c) => c.label).join(', ')}.</div>`);
  }
  return html`${out}`;
}

function runDetails(model: ReportModel): SafeHtml {
  const { results } = model;
  const env = results.environment;
  const description = typeof results.scenario?.description === 'string' ? results.scenario.description : undefined;
  const fixed = model.fixed.map(([k, v]) => `${paramName(k)} ${String(v)}`).join(' · ');
  const varying = model.varying.map(paramName).join(' × ');
  const item = (term: string, value: unknown): SafeHtml => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<dl class="run">
${item('Scenario', html`${model.title}${description ? html`<span class="muted"> — ${description}</span>` : ''}`)}
${item('Command', html`<code>${results.command || DASH}</code>`)}
${item('Target', html`<code>${env?.target ?? DASH}</code>${env?.embeddedServer ? html` <span class="muted">(embedded reference server)</span>` : ''}`)}
${item('Started', fmtTime(results.startedAt))}
${item('Ended', fmtTime(results.endedAt))}
${item('Duration', fmtDuration(secondsBetween(results.startedAt, results.endedAt)))}
${item('Environment', env ? `Node ${env.node} · ${env.os} · ${env.cpus} CPU${env.cpus === 1 ? '' : 's'}${env.cpuModel ? ` (${env.cpuModel})` : ''}` : DASH)}
${item('Cells', `${model.cells.length}${varying ? ` (${varying})` : ''}`)}
${fixed ? item('Fixed params', fixed) : ''}
${item('Tool', `${results.tool?.name ?? 'framebench'} ${results.tool?.version ?? ''} · run ${results.runId}`)}
</dl>`;
}

function failedIn(group: ThresholdGroup): SafeHtml {
  const names = group.failed.slice(0, MAX_LISTED_CELLS).map((f) => f.view.label);
  const more = group.failed.length - names.length;
  return html`${names.join(', ')}${more > 0 ? html` <span class="muted">+${more} more</span>` : ''}`;
}

function thresholdTable(model: ReportModel): SafeHtml {
  if (model.groups.length === 0) return html``;
  const rows = model.groups.map((g) => {
    const worst = g.worst?.check;
    const onlyUnmeasured = g.failed.length > 0 && g.failed.every((f) => f.check.status === 'not_measured');
    const allSkipped = g.failed.length === 0 && g.skipped.length === g.total;
    const status = onlyUnmeasured
      ? html`<span class="pill fail">NOT MEASURED</span>`
      : g.failed.length > 0
        ? html`<span class="pill fail">FAIL</span>`
        : allSkipped
          ? html`<span class="badge warn">SKIPPED</span>`
          : html`<span class="pill pass">PASS</span>`;
    const held = g.total - g.skipped.length;
    const skippedNote = g.skipped.length > 0 ? `; ${g.skipped.length} skipped (optional, not measured)` : '';
    return html`<tr class="${g.failed.length > 0 ? 'row-fail' : ''}">
<td>${status}</td><td><code>${g.expr}</code></td>
<td class="num">${g.failed.length} / ${g.total}</td>
<td class="num">${worst ? measuredText(worst) : DASH}</td>
<td class="num">${worst ? limitText(worst) : DASH}</td>
<td class="num ${g.failed.length > 0 ? 'over' : 'headroom'}">${worst ? (g.failed.length > 0 ? missText(worst) : headroomText(worst)) : DASH}</td>
<td>${g.failed.length > 0 ? failedIn(g) : html`<span class="muted">${allSkipped ? `skipped in all ${g.total}: ${g.skipped[0]?.check.reason ?? 'not measured'}` : `held in ${held === g.total ? 'all ' : ''}${held}${held === g.total ? '' : ` of ${g.total}`}${g.worst ? `; closest: ${g.worst.view.label}` : ''}${skippedNote}`}</span>`}</td></tr>`;
  });
  const failures = model.groups.flatMap((g) => g.failed);
  const detail =
    failures.length === 0
      ? ''
      : html`<details class="failures"${failures.length <= 8 ? ' open' : ''}><summary>Every failing check (${failures.length})</summary>
<table class="grid-table"><thead><tr><th>Threshold</th><th>Cell</th><th class="num">Measured</th><th class="num">Limit</th><th class="num">Miss</th></tr></thead><tbody>
${failures.map((f) => html`<tr><td><code>${f.check.expr}</code></td><td>${f.view.label}</td><td class="num">${measuredText(f.check)}</td><td class="num">${limitText(f.check)}</td><td class="num over">${missText(f.check)}</td></tr>`)}
</tbody></table></details>`;
  return html`<table class="grid-table thresholds"><thead><tr><th>Status</th><th>Threshold</th><th class="num">Failed cells</th><th class="num">Worst measured</th><th class="num">Limit</th><th class="num">Miss / headroom</th><th>Failed in</th></tr></thead>
<tbody>${rows}</tbody></table>${detail}`;
}

function failureLines(model: ReportModel): SafeHtml {
  const failed = model.groups.filter((g) => g.failed.length > 0);
  const broken = model.cells.flatMap((v) => (v.cell.failures ?? []).map((f) => ({ view: v, failure: f })));
  if (failed.length === 0 && broken.length === 0) return html``;
  const cellItems = broken.slice(0, 8).map((b) => html`<li class="cell-failure"><strong>${b.view.label}</strong>: ${b.failure.reason}</li>`);
  const more = broken.length > cellItems.length ? html`<li class="muted">… and ${broken.length - cellItems.length} more cell failures</li>` : '';
  return html`<ul class="verdict-fails">${cellItems}${more}${failed.map((g) => {
    const worst = g.failed[0];
    if (!worst) return '';
    if (worst.check.status === 'not_measured') {
      return html`<li><code>${g.expr}</code>: ${notMeasuredText(worst.check)} in ${g.failed.length} of ${plural(g.total, 'cell')}, e.g. ${worst.view.label}</li>`;
    }
    return html`<li><code>${g.expr}</code> failed in ${g.failed.length} of ${plural(g.total, 'cell')}: worst ${measuredText(worst.check)} vs ${limitText(worst.check)} <span class="over">(${missText(worst.check)})</span> in ${worst.view.label}</li>`;
  })}</ul>`;
}

export function renderVerdict(model: ReportModel): SafeHtml {
  const ok = model.results.ok;
  return html`<header class="verdict ${ok ? 'pass' : 'fail'}" id="verdict">
<div class="verdict-word">${ok ? 'PASS' : 'FAIL'}</div>
<div><h1>${model.title}</h1><p class="verdict-summary">${summary(model)}</p>${failureLines(model)}</div>
</header>
${banners(model)}
<section id="run"><h2>Run</h2>${runDetails(model)}</section>
${model.groups.length > 0 ? html`<section id="thresholds"><h2>Thresholds</h2>${thresholdTable(model)}</section>` : ''}`;
}
