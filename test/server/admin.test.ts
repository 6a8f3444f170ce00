// The admin channel (POST /admin/drop, GET /admin/stats) and Prometheus /metrics against real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { adminDrop, adminStats, adminUrl } from '../../src/server/admin-client.js';
import { dropCount, parseDropBody, pickRandom } from '../../src/server/admin-http.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { seededRandom } from '../../src/server/timing.js';
import { connect, generate, tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
const ADMIN = 'adm1n-t0ken';
let server: RunningServer;
let http: string;

beforeAll(async () => {
  server = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, adminToken: ADMIN });
  http = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  cache.remove();
});

function post(url: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** Parses Prometheus text exposition: metric name → value of its unlabelled sample; throws on a bad line. */
function parseProm(text: string): Map<string, number> {
  const values = new Map<string, number>();
  const types = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.add(type[1]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    if (!m[2]) values.set(m[1]!, Number(m[3]));
  }
  for (const name of values.keys()) expect(types.has(name) || [...types].some((t) => name.startsWith(t))).toBe(true);
  return values;
}

describe('admin drop', () => {
  it('destroys fraction 0.5 of 10 connections abruptly (1006) and replies with the count', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect(server.url)));
    await clients[0]!.until(() => server.stats().connections === 10, '10 connections');
    const res = await post(`${http}/admin/drop`, { fraction: 0.5, seed: 7 }, ADMIN);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ dropped: 5, connections: 10 });
    await clients[0]!.until(() => clients.filter((c) => c.closeCode !== undefined).length === 5, 'five closes', 3000);
    expect(clients.filter((c) => c.closeCode === 1006)).toHaveLength(5);
    await clients[0]!.until(() => server.stats().connections === 5, 'the server to count 5', 2000);
    expect(server.stats().adminDrops).toBe(5);
    for (const c of clients) c.close();
  });

  it('adminDrop (client helper) by count, and adminStats', async () => {
    const clients = await Promise.all(Array.from({ length: 3 }, () => connect(server.url)));
    await clients[0]!.until(() => server.stats().connections === 3, '3 connections');
    expect(await adminDrop(server.url, ADMIN, { count: 2 })).toBe(2);
    await clients[0]!.until(() => clients.filter((c) => c.closeCode === 1006).length === 2, 'two closes', 3000);
    const stats = await adminStats(server.url, ADMIN);
    expect(stats).toMatchObject({ connections: 1 });
    expect(await adminDrop(`${server.url}some/path`, ADMIN, { count: 50 })).toBe(1);
    for (const c of clients) c.close();
  });

  it('401 without or with a wrong token, 400 for a bad body, 404 when the server has no admin token', async () => {
    expect((await post(`${http}/admin/drop`, { count: 1 })).status).toBe(401);
    const wrong = await post(`${http}/admin/drop`, { count: 1 }, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${http}/admin/stats`)).status).toBe(401);
    expect((await post(`${http}/admin/drop?token=${ADMIN}`, { count: 1 })).status).toBe(401);
    const bad = await post(`${http}/admin/drop`, { fraction: 2 }, ADMIN);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^fraction:/);
    expect((await post(`${http}/admin/drop`, { fraction: 0.1, count: 1 }, ADMIN)).status).toBe(400);
    await expect(adminDrop(server.url, 'nope', { count: 1 })).rejects.toThrow(/401.*wrong admin token/);
    const plain = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12 });
    try {
      expect((await post(`http://127.0.0.1:${plain.port}/admin/drop`, { count: 1 }, ADMIN)).status).toBe(404);
      const err = await adminDrop(plain.url, ADMIN, { count: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TargetError);
    } finally {
      await plain.close();
    }
  });

  it('validates and picks like the chaos schedule', () => {
    expect(parseDropBody('{"fraction":0.25,"seed":3}')).toEqual({ fraction: 0.25, seed: 3 });
    expect(parseDropBody('{"count":4}')).toEqual({ count: 4 });
    expect(parseDropBody('{}')).toMatch(/exactly one/);
    expect(parseDropBody('{"count":1.5}')).toMatch(/^count:/);
    expect(parseDropBody('[1]')).toMatch(/object/);
    expect(parseDropBody('{"count":1,"seed":-1}')).toMatch(/^seed:/);
    expect(dropCount(10, { fraction: 0.5 })).toBe(5);
    expect(dropCount(10, { fraction: 0.01 })).toBe(1);
    expect(dropCount(10, { fraction: 0 })).toBe(0);
    expect(dropCount(3, { count: 9 })).toBe(3);
    const picked = pickRandom([...Array(10).keys()], 4, seededRandom(1));
    expect(new Set(picked).size).toBe(4);
    expect(pickRandom([...Array(10).keys()], 4, seededRandom(1))).toEqual(picked);
    expect(adminUrl('wss://h:9/ws?x=1', '/admin/drop').href).toBe('https://h:9/admin/drop');
  });
});

describe('/metrics', () => {
  it('serves Prometheus text; frames_sent_total grows after a request; process metrics included', async () => {
    const before = parseProm(await (await fetch(`${http}/metrics`)).text());
    for (const name of [
      'framebench_server_connections',
      'framebench_server_connections_total',
      'framebench_server_requests_total',
      'framebench_server_frames_sent_total',
      'framebench_server_frames_dropped_total',
      'framebench_server_bytes_sent_total',
      'framebench_server_errors_total',
      'framebench_server_detached_streams',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(before.has(name), name).toBe(true);
    }
    const c = await connect(server.url);
    c.send(generate(1, { frames: 7 }));
    await c.next('done', 1);
    const res = await fetch(`${http}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parseProm(await res.text());
    expect(after.get('framebench_server_frames_sent_total')! - before.get('framebench_server_frames_sent_total')!).toBe(7);
    expect(after.get('framebench_server_requests_total')! - before.get('framebench_server_requests_total')!).toBe(1);
    expect(after.get('framebench_server_bytes_sent_total')!).toBeGreaterThan(before.get('framebench_server_bytes_sent_total')!);
    expect(after.get('framebench_server_connections')).toBe(1);
    c.close();
  });

  it('with an upgrade token, /metrics needs it (Bearer or ?token=) or the admin token', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, token: 'up', adminToken: ADMIN });
    try {
      const base = `http://127.0.0.1:${s.port}/metrics`;
      expect((await fetch(base)).status).toBe(401);
      expect((await fetch(base, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(base, { headers: { authorization: 'Bearer up' } })).status).toBe(200);
      expect((await fetch(`${base}?token=up`)).status).toBe(200);
      expect((await fetch(base, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
