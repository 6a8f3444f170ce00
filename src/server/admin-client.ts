// Client of the reference server's admin channel, for the chaos engine: POST /admin/drop and
// GET /admin/stats on the host of a ws:// or wss:// target URL, with the admin bearer token.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TargetError } from '../errors.js';
import type { DropAmount } from './admin-http.js';
import type { ServerStats } from './options.js';

const TIMEOUT_MS = 10_000;

/** http(s)://host:port/<path> for a ws(s):// (or http(s)://) server URL. */
export function adminUrl(serverUrl: string, path: string): URL {
  const u = new URL(serverUrl);
  if (u.protocol === 'ws:') u.protocol = 'http:';
  else if (u.protocol === 'wss:') u.protocol = 'https:';
  else if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TargetError(`admin channel: unsupported URL ${serverUrl}`);
  return new URL(path, u.origin);
}

function call(serverUrl: string, adminToken: string, method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
  const url = adminUrl(serverUrl, path);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { authorization: `Bearer ${adminToken}`, accept: 'application/json' };
  if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: TIMEOUT_MS, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', (err) => reject(new TargetError(`admin ${method} ${url.href}: ${err.message}`)));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status === 200 && json !== undefined) return resolve(json);
        const why = (json as { error?: unknown } | undefined)?.error ?? text.trim();
        const hint = status === 401 ? ' (wrong admin token)' : status === 404 ? ' (no admin channel on this server)' : '';
        reject(new TargetError(`admin ${method} ${url.href} answered ${status}${hint}${why ? `: ${String(why)}` : ''}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => reject(new TargetError(`admin ${method} ${url.href}: ${err.message}`)));
    req.end(payload);
  });
}

/** Abruptly destroys a random pick of the server's WebSocket connections; resolves with how many. */
export async function adminDrop(serverUrl: string, adminToken: string, amount: DropAmount): Promise<number> {
  const reply = (await call(serverUrl, adminToken, 'POST', '/admin/drop', amount)) as { dropped?: unknown };
  if (typeof reply.dropped !== 'number') throw new TargetError(`admin drop: unexpected reply ${JSON.stringify(reply)}`);
  return reply.dropped;
}

export async function adminStats(serverUrl: string, adminToken: string): Promise<ServerStats> {
  return (await call(serverUrl, adminToken, 'GET', '/admin/stats')) as ServerStats;
}
