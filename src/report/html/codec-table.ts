// The codec table: mean frame size, encode/decode cost and PSNR per format × resolution × quality,
// shown beside the latency results (null PSNR means lossless).
import type { CodecResult } from '../../results/types.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { fmtBytes, fmtNum } from '../../html/format.js';

const BASE64_OVERHEAD = 4 / 3;

function dimensions(c: CodecResult): string {
  return c.width > 0 && c.height > 0 ? `${c.width}×${c.height}` : '';
}

function sortCodecs(codecs: readonly CodecResult[]): CodecResult[] {
  const formats = [...new Set(codecs.map((c) => c.format))];
  return [...codecs].sort((a, b) => formats.indexOf(a.format) - formats.indexOf(b.format) || a.width * a.height - b.width * b.height || a.quality - b.quality);
}

export function renderCodecTable(codecs: readonly CodecResult[] | undefined): SafeHtml {
  if (!codecs || codecs.length === 0) return html`<p class="muted">No codec measurements in this run.</p>`;
  const maxBytes = Math.max(...codecs.map((c) => c.meanBytes), 1);
  const target = codecs.some((c) => c.targetBytesPerFrame !== undefined);
  const rows = sortCodecs(codecs).map((c, i) => {
    const share = Math.max(1, Math.round((c.meanBytes / maxBytes) * 100));
    return html`<tr>
<td data-v="${i}">${c.format}</td><td data-v="${c.width * c.height}" title="${dimensions(c)}">${c.resolution}</td><td class="num" data-v="${c.quality}">${c.quality}</td>
<td class="num size" data-v="${c.meanBytes}"><span class="bar" style="width:${share}%"></span><span class="bar-text">${fmtBytes(c.meanBytes)}</span></td>
<td class="num" data-v="${c.meanBytes * BASE64_OVERHEAD}">${fmtBytes(c.meanBytes * BASE64_OVERHEAD)}</td>
${target ? html`<td class="num" data-v="${c.targetBytesPerFrame ?? -1}">${c.targetBytesPerFrame === undefined ? html`<span class="muted">–</span>` : fmtBytes(c.targetBytesPerFrame)}</td>` : ''}
<td class="num" data-v="${c.encodeMs}">${fmtNum(c.encodeMs)}</td>
<td class="num" data-v="${c.decodeMs}">${fmtNum(c.decodeMs)}</td>
<td class="num" data-v="${c.psnr ?? Number.MAX_SAFE_INTEGER}">${c.psnr === null ? html`<span class="muted">lossless</span>` : fmtNum(c.psnr)}</td></tr>`;
  });
  const th = (text: string, numeric: boolean, title = text): SafeHtml => html`<th class="${numeric ? 'num' : ''}" data-sort="num" aria-sort="none" title="${title}"><button type="button">${text}</button></th>`;
  return html`<div class="table-scroll"><table class="grid-table codecs sortable">
<thead><tr>${th('Format', false)}${th('Resolution', false)}${th('Quality', true)}${th('Frame size', true, 'Mean encoded frame size')}${th('Base64', true, 'Size inside JSON as base64 (+33%)')}${target ? th('Target sent', true, 'Image bytes per frame the target really sent (its own frames, not the corpus)') : ''}${th('Encode ms', true, 'Mean encode time per frame')}${th('Decode ms', true, 'Mean decode time per frame')}${th('PSNR dB', true, 'Peak signal-to-noise ratio against the uncompressed source')}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}
