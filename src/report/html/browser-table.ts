// The browser decode-cost table of the HTML report (rows from ../browser-rows.ts), shown beside
// the codec table: what decoding and painting cost in real Chromium per format × resolution.
import type { Results } from '../../results/types.js';
import { browserRows } from '../browser-rows.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { fmtNum } from '../../html/format.js';

export function hasBrowserTable(results: Results): boolean {
  return results.cells.some((c) => c.browser !== undefined);
}

export function renderBrowserTable(results: Results): SafeHtml {
  const rows = browserRows(results);
  const th = (text: string, title = text): SafeHtml => html`<th class="num" title="${title}">${text}</th>`;
  return html`<div class="table-scroll"><table class="grid-table codecs">
<thead><tr><th>Format</th><th>Resolution</th>${th('Decoded', 'Frames decoded with createImageBitmap in the measured window')}${th('Decode p50 ms', 'Receive → decoded')}${th('Decode p99 ms', 'Receive → decoded')}${th('Paint p99 ms', 'Decoded → painted on the canvas (includes the playback buffer wait)')}${th('Dropped', 'Decoded too late to show, or pushed out of a full buffer')}${th('Stalls')}${th('Freezes', 'W3C freezeCount rule: a gap ≥ max(3 × mean, mean + 150 ms)')}${th('Long tasks', 'Main-thread tasks ≥ 50 ms')}</tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr><td>${r.format}</td><td>${r.resolution}</td><td class="num">${r.framesDecoded}</td><td class="num">${fmtNum(r.decode.p50)}</td><td class="num">${fmtNum(r.decode.p99)}</td><td class="num">${fmtNum(r.paint.p99)}</td><td class="num">${r.dropped}</td><td class="num">${r.stalls}</td><td class="num">${r.freezes}</td><td class="num">${r.longTasks}</td></tr>`,
  )}</tbody></table></div>`;
}
