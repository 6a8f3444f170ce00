// The report's transport comparison section (present when a run varies transport or connection).
import type { Results } from '../../results/types.js';
import { transportRows } from '../transport-rows.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { DASH, fmtBytes, fmtMs, fmtNum } from '../../html/format.js';
import { section } from '../../html/page.js';

const opt = (v: number | undefined, f: (x: number) => string): string => (v === undefined ? DASH : f(v));

export function hasTransportSection(results: Results): boolean {
  return transportRows(results).length > 0;
}

export function renderTransportSection(results: Results): SafeHtml {
  const rows = transportRows(results);
  if (rows.length === 0) return html``;
  const withConn = rows.some((r) => r.connection !== undefined);
  const body = rows.map(
    (r) => html`<tr><td>${r.cell}</td><td>${r.transport}</td>${withConn ? html`<td>${r.connection ?? DASH}</td>` : ''}
<td class="num" data-v="${r.bytesPerFrame}">${fmtBytes(r.bytesPerFrame)}</td><td class="num" data-v="${r.vsBinary ?? 0}">${opt(r.vsBinary, (x) => `×${fmtNum(x)}`)}</td>
<td class="num" data-v="${r.p50}">${fmtMs(r.p50)}</td><td class="num" data-v="${r.p99}">${fmtMs(r.p99)}</td><td class="num" data-v="${r.latenessP99}">${fmtMs(r.latenessP99)}</td>
<td class="num" data-v="${r.firstFrameP50}">${fmtMs(r.firstFrameP50)}</td><td class="num" data-v="${r.firstFrameP99}">${fmtMs(r.firstFrameP99)}</td><td class="num" data-v="${r.connectsPerRequest}">${fmtNum(r.connectsPerRequest)}</td><td class="num" data-v="${r.connectP99}">${fmtMs(r.connectP99)}</td><td class="num" data-v="${r.requestsPerFrame ?? 0}">${opt(r.requestsPerFrame, (x) => fmtNum(x))}</td>
<td class="num" data-v="${r.clientCpuMsPerFrame ?? 0}">${opt(r.clientCpuMsPerFrame, (x) => fmtMs(x))}</td><td class="num" data-v="${r.serverCpuMsPerFrame ?? 0}">${opt(r.serverCpuMsPerFrame, (x) => fmtMs(x))}</td></tr>`,
  );
  const th = (text: string, title = text): SafeHtml => html`<th class="num" data-sort="num" aria-sort="none" title="${title}"><button type="button">${text}</button></th>`;
  const table = html`<div class="table-scroll"><table class="grid-table transports sortable">
<thead><tr><th>Cell</th><th>Transport</th>${withConn ? html`<th>Connection</th>` : ''}${th('Bytes/frame', 'Bytes on the wire per received frame, framing included')}${th('vs binary', 'Bytes per frame over the binary WebSocket cell with the same other fields')}${th('p50')}${th('p99')}${th('Lateness p99', 'Arrival behind the stream schedule')}${th('First frame p50', 'Request sent → first frame (with connection: per-request from the start of the connect)')}${th('First frame p99', 'Request sent → first frame (with connection: per-request from the start of the connect)')}${th('Connects/request', 'Connections opened per measured request')}${th('Connect p99', 'TCP + WebSocket/HTTP handshake')}${th('Requests/frame', 'HTTP requests per frame (polling)')}${th('Client CPU/frame')}${th('Server CPU/frame', 'Embedded server only')}</tr></thead>
<tbody>${body}</tbody></table></div>`;
  return section(
    'transports',
    'Transport comparison',
    table,
    'Bytes per frame count everything on the wire: for HTTP transports every byte the client sockets read and wrote (headers, SSE event lines, chunk framing, empty polls); for WebSocket the frame message (its 2–10 byte frame header aside). CPU per frame: client processes, and the embedded server process when the run started it.',
  );
}
