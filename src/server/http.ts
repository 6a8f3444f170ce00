// HTTP side of the reference server: /healthz, /metrics, the /admin/* routes, plain responses to
// non-WebSocket requests, and the bearer-token checks (also the one done before a WebSocket upgrade).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { toolVersion } from '../version.js';
import { handleAdminRequest, type AdminActions } from './admin-http.js';
import { hasBearer, sameToken, sendBody, sendJson, unauthorized } from './http-respond.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerStats } from './options.js';

export interface HttpRoutes extends AdminActions {
  /** This process' own stats, for /healthz (in a cluster worker: this worker only). */
  localStats(): ServerStats;
  startedMs: number;
  metrics: ServerMetrics;
  /** The upgrade token: when set, /metrics needs it (or the admin token) too. */
  token: string | undefined;
  /** Enables /admin/*; undefined answers 404 there. */
  adminToken: string | undefined;
  /** HTTP frame transports (SSE, polling): answers its routes and returns true. */
  streams?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

function serveMetrics(req: IncomingMessage, res: ServerResponse, r: HttpRoutes): void {
  if (r.token !== undefined && !isAuthorized(req, r.token) && !(r.adminToken !== undefined && hasBearer(req, r.adminToken))) {
    unauthorized(res);
    return;
  }
  r.metrics.render().then(
    (text) => sendBody(res, 200, r.metrics.contentType, text),
    (err: unknown) => sendBody(res, 500, 'text/plain', `metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
  );
}

export function handleHttpRequest(req: IncomingMessage, res: ServerResponse, r: HttpRoutes): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/metrics' && read) return serveMetrics(req, res, r);
  if (path === '/admin' || path.startsWith('/admin/')) return handleAdminRequest(req, res, path, r);
  if (path === '/healthz' && read) {
    const s = r.localStats();
    const { pid } = process;
    sendJson(res, 200, { ok: true, version: toolVersion(), pid, uptimeMs: Date.now() - r.startedMs, connections: s.connections, activeRequests: s.activeRequests });
    return;
  }
  if (r.streams?.(req, res, path)) return;
  sendBody(res, 426, 'text/plain', 'framebench reference server: connect with a WebSocket on any path, or GET /sse?… (Server-Sent Events), POST /frames?… (polling); GET /healthz for health, /metrics for Prometheus\n', {
    upgrade: 'websocket',
  });
}

/** True when the upgrade request carries the token as a Bearer header or a ?token= query parameter. */
export function isAuthorized(req: IncomingMessage, token: string): boolean {
  if (hasBearer(req, token)) return true;
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
