// The shards section of a merged result: which load generators ran the run, on which hosts, how
// their clocks compared, and which of them was saturated or interrupted.
import type { Results } from '../../results/types.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { fmtTime } from '../../html/format.js';
import { section } from '../../html/page.js';

export function renderShardsSection(results: Results): SafeHtml {
  const m = results.merge;
  if (!m) return html``;
  const rows = m.shards.map(
    (s) =>
      html`<tr><td>${s.label}</td><td>${s.host}</td><td>${fmtTime(s.startedAt)}</td><td class="num">${s.clock.offsetMs.toFixed(3)}</td><td class="num">±${s.clock.uncertaintyMs.toFixed(3)}</td><td>${s.sourceAddresses?.join(', ') ?? '—'}</td><td>${s.interrupted ? '⚠️ interrupted' : s.harnessSaturated ? `⚠️ saturated: ${s.harnessSaturatedReason ?? ''}` : s.ok ? 'ok' : 'own thresholds failed'}</td></tr>`,
  );
  const notes = [
    `Clock offset spread across shards: ${m.clockSpreadMs} ms (largest uncertainty ±${m.clockUncertaintyMs} ms).`,
    ...(m.partialWindows ? [`${m.partialWindows} per-second windows lack some shard (a shard started late or stopped early).`] : []),
    ...(m.incompleteCells ?? []).map((c) => `Incomplete cell: ${c}.`),
  ];
  const perCell = results.cells.flatMap((c) =>
    (c.byShard ?? []).map(
      (b) =>
        html`<tr><td>${c.id}</td><td>${b.shard}</td><td class="num">${b.clients}</td><td class="num">${b.framesPerSec.toFixed(1)}</td><td class="num">${b.frameP99.toFixed(1)}</td><td class="num">${b.framesLost}</td><td class="num">${b.errors}</td><td>${
          Object.entries(b.errorsByKind)
            .map(([k, n]) => `${k}×${n}`)
            .join(', ') || '—'
        }${b.harnessSaturated ? ` · ⚠️ saturated: ${b.reason ?? ''}` : ''}</td></tr>`,
    ),
  );
  const cellTable = perCell.length
    ? html`<div class="table-scroll"><table class="grid-table">
<thead><tr><th>Cell</th><th>Shard</th><th class="num">Clients</th><th class="num">Frames/s</th><th class="num">Frame p99 ms</th><th class="num">Lost</th><th class="num">Errors</th><th>Errors by kind</th></tr></thead><tbody>${perCell}</tbody></table></div>`
    : html``;
  const body = html`<div class="table-scroll"><table class="grid-table">
<thead><tr><th>Shard</th><th>Host</th><th>Started</th><th>Clock offset ms</th><th>Uncertainty ms</th><th>Source addresses</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="hint">${notes.join(' ')}</p>${cellTable}`;
  return section('shards', `Shards (${m.shards.length})`, body, 'This result merges the shards below exactly: counts added, histograms merged, windows aligned by wall-clock second; thresholds were evaluated on the merged cells.');
}
