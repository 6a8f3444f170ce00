// The shards section of a merged result: which load generators ran the run, on which hosts, how
// their clocks compared, and which of them was saturated or interrupted.
import type { Results } from '../../metrics/results-types.js';
import { html, type SafeHtml } from './escape.js';
import { fmtTime } from './format.js';
import { section } from './page.js';

export function renderShardsSection(results: Results): SafeHtml {
  const m = results.merge;
  if (!m) return html``;
  const rows = m.shards.map(
    (s) => html`<tr><td>${s.label}</td><td>${s.host}</td><td>${fmtTime(s.startedAt)}</td><td class="num">${s.clock.offsetMs.toFixed(3)}</td><td class="num">±${s.clock.uncertaintyMs.toFixed(3)}</td><td>${s.sourceAddresses?.join(', ') ?? '—'}</td><td>${s.interrupted ? '⚠️ interrupted' : s.harnessSaturated ? `⚠️ saturated: ${s.harnessSaturatedReason ?? ''}` : s.ok ? 'ok' : 'own thresholds failed'}</td></tr>`,
  );
  const notes = [
    `Clock offset spread across shards: ${m.clockSpreadMs} ms (largest uncertainty ±${m.clockUncertaintyMs} ms).`,
    ...(m.partialWindows ? [`${m.partialWindows} per-second windows lack some shard (a shard started late or stopped early).`] : []),
    ...(m.incompleteCells ?? []).map((c) => `Incomplete cell: ${c}.`),
  ];
  const body = html`<div class="table-scroll"><table class="grid-table">
<thead><tr><th>Shard</th><th>Host</th><th>Started</th><th>Clock offset ms</th><th>Uncertainty ms</th><th>Source addresses</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="hint">${notes.join(' ')}</p>`;
  return section('shards', `Shards (${m.shards.length})`, body, 'This result merges the shards below exactly: counts added, histograms merged, windows aligned by wall-clock second; thresholds were evaluated on the merged cells.');
}
