// Small HTTP helpers shared by the server's routes: JSON/text responses and the bearer-token check.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendBody(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>): void {
  sendBody(res, status, 'application/json', JSON.stringify(value), headers);
}

export function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, { error: 'unauthorized: send Authorization: Bearer <token>' }, { 'www-authenticate': 'Bearer' });
}

export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries `Authorization: Bearer <token>`. */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? '').trim());
  return m !== null && sameToken(m[1]!, token);
}
