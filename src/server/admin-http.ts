// The authenticated admin channel chaos uses (/admin/*, `Authorization: Bearer <adminToken>`):
// POST /admin/drop destroys a random pick of WebSocket connections like a crashed worker would;
// GET /admin/stats returns ServerStats. 404 everywhere when the server has no admin token. In a
// cluster worker both actions are answered by the primary for all workers (asynchronously).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasBearer, sendJson, unauthorized } from './http-respond.js';
import type { ServerStats } from './options.js';

/** How many connections to drop: a fraction of those open (at least one when above 0) or a count. */
export interface DropAmount {
  fraction?: number;
  count?: number;
  /** Seed of the pick (default: Math.random). */
  seed?: number;
}

export interface DropResult {
  dropped: number;
  /** Connections open when the drop was made. */
  connections: number;
}

export interface AdminActions {
  stats(): ServerStats | Promise<ServerStats>;
  adminToken: string | undefined;
  drop(amount: DropAmount): DropResult | Promise<DropResult>;
}

const MAX_BODY_BYTES = 4096;

/** How many of n to hit; the same rule as the chaos schedule (round, at least 1 for a fraction > 0). */
export function dropCount(n: number, { fraction, count }: DropAmount): number {
  if (n <= 0) return 0;
  if (count !== undefined) return Math.min(n, count);
  if (!fraction || fraction <= 0) return 0;
  return Math.min(n, Math.max(1, Math.round(n * fraction)));
}

/**
 * Splits a drop count over processes in proportion to their open connections (largest remainder),
 * never asking one for more than it has; the parts add up to min(count, total connections).
 */
export function splitCount(count: number, connections: number[]): number[] {
  const total = connections.reduce((a, b) => a + b, 0);
  const want = Math.min(count, total);
  if (want <= 0) return connections.map(() => 0);
  const exact = connections.map((n) => (want * n) / total);
  const parts = exact.map(Math.floor);
  let left = want - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - parts[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

/** k distinct items chosen uniformly (partial Fisher–Yates). */
export function pickRandom<T>(items: T[], k: number, random: () => number): T[] {
  const a = items.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a.slice(0, k);
}

/** Validates a drop body; returns the amount or an error message naming the field. */
export function parseDropBody(text: string): DropAmount | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'body must be a JSON object: {"fraction":0.1} or {"count":5}';
  const { fraction, count, seed } = v as Record<string, unknown>;
  if ((fraction === undefined) === (count === undefined)) return 'give exactly one of fraction (0 to 1) and count (integer >= 0)';
  if (fraction !== undefined && (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1))) {
    return `fraction: must be a number from 0 to 1 (got ${JSON.stringify(fraction)})`;
  }
  if (count !== undefined && !(typeof count === 'number' && Number.isSafeInteger(count) && count >= 0)) {
    return `count: must be an integer >= 0 (got ${JSON.stringify(count)})`;
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    return `seed: must be an integer from 0 to 4294967295 (got ${JSON.stringify(seed)})`;
  }
  const amount: DropAmount = fraction !== undefined ? { fraction: fraction as number } : { count: count as number };
  if (seed !== undefined) amount.seed = seed as number;
  return amount;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', () => resolve(undefined));
  });
}

function answer(res: ServerResponse, work: () => unknown): void {
  Promise.resolve()
    .then(work)
    .then(
      (value) => sendJson(res, 200, value),
      (err: unknown) => sendJson(res, 503, { error: `cluster did not answer: ${err instanceof Error ? err.message : String(err)}` }),
    );
}

export function handleAdminRequest(req: IncomingMessage, res: ServerResponse, path: string, a: AdminActions): void {
  if (a.adminToken === undefined) return sendJson(res, 404, { error: 'not found: the admin channel is off (no admin token)' });
  if (!hasBearer(req, a.adminToken)) return unauthorized(res);
  if (path === '/admin/stats') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    return answer(res, () => a.stats());
  }
  if (path !== '/admin/drop') return sendJson(res, 404, { error: `not found: ${path}; admin routes: POST /admin/drop, GET /admin/stats` });
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { allow: 'POST' });
  void readBody(req).then((text) => {
    if (text === undefined) return sendJson(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
    const amount = parseDropBody(text);
    if (typeof amount === 'string') return sendJson(res, 400, { error: amount });
    answer(res, () => a.drop(amount));
  });
}
