// HTTP side of the reference server: /healthz, plain responses to non-WebSocket requests,
// and the bearer-token check done before a WebSocket upgrade.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { toolVersion } from '../version.js';
import type { ServerStats } from './options.js';

export function handleHttpRequest(req: IncomingMessage, res: ServerResponse, stats: () => ServerStats, startedMs: number): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
    const s = stats();
    const body = JSON.stringify({
      ok: true,
      version: toolVersion(),
      uptimeMs: Date.now() - startedMs,
      connections: s.connections,
      activeRequests: s.activeRequests,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const body = 'framebench reference server: connect with a WebSocket on any path; GET /healthz for health\n';
  res.writeHead(426, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), upgrade: 'websocket' });
  res.end(body);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the upgrade request carries the token as a Bearer header or a ?token= query parameter. */
export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m && sameToken(m[1]!, token)) return true;
  }
  const q = (req.url ?? '').indexOf('?');
  if (q >= 0) {
    const given = new URLSearchParams(req.url!.slice(q + 1)).get('token');
    if (given !== null && sameToken(given, token)) return true;
  }
  return false;
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: 401 | 503, extraHeaders: Record<string, string> = {}): void {
  const text = status === 401 ? 'Unauthorized' : 'Service Unavailable';
  const body = `${text}\n`;
  const headers = { connection: 'close', 'content-type': 'text/plain', 'content-length': String(body.length), ...extraHeaders };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  if (socket.writable) {
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${text}\r\n${head}\r\n${body}`);
  } else {
    socket.destroy();
  }
}
