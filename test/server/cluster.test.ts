// Multi-process reference server (startClusterServer, compiled dist/server/cluster-worker.js) on real
// sockets: one shared port, connections spread over the workers, cluster totals on /admin/stats and
// /metrics, drops across workers, restart of a dead worker, graceful close with 1001.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeq } from '../../src/protocol/header.js';
import { startClusterServer, type ClusterServer } from '../../src/server/cluster-primary.js';
import type { ClusterStats } from '../../src/server/options.js';
import { connect, generate, tempCacheDir, type Recorder } from './helpers.js';

const cache = tempCacheDir();
const ADMIN = 'cluster-admin';
let server: ClusterServer;

beforeAll(async () => {
  server = await startClusterServer({
    workers: 2,
    port: 0,
    cacheDir: cache.dir,
    corpusFrames: 4,
    adminToken: ADMIN,
    prewarm: [{ format: 'webp', width: 160, height: 90, quality: 75 }],
  });
});

afterAll(async () => {
  await server?.close({ graceful: false });
  cache.remove();
});

/** One HTTP request on its own TCP connection (no keep-alive), so round-robin picks a worker for it. */
function get(path: string, method = 'GET', body?: object): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const adminStats = async (): Promise<ClusterStats> => JSON.parse((await get('/admin/stats')).text) as ClusterStats;

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startClusterServer (2 workers)', () => {
  it('all workers listen on one port: /healthz on fresh connections answers from both pids', async () => {
    const pids = server.pids();
    expect(pids).toHaveLength(2);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const health = JSON.parse((await get('/healthz')).text) as { ok: boolean; pid: number };
      expect(health.ok).toBe(true);
      seen.add(health.pid);
    }
    expect([...seen].sort()).toEqual([...pids].sort());
  });

  it('spreads 40 connections over both workers; every client gets its frames; stats and /metrics are cluster totals', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => connect(server.url)));
    try {
      clients.forEach((c, i) => c.send(generate(i + 1, { frames: 10, fps: 100 })));
      for (const [i, c] of clients.entries()) {
        expect(await c.next('done', i + 1)).toMatchObject({ frames: 10, dropped: 0 });
        expect(c.frames(i + 1).map((f) => readSeq(f.data))).toEqual([...Array(10).keys()]);
      }
      const stats = await adminStats();
      expect(stats).toMatchObject({ connections: 40, requests: 40, framesSent: 400, framesDropped: 0 });
      expect(stats.workers.map((w) => w.pid).sort()).toEqual(server.pids().sort());
      for (const w of stats.workers) expect(w.connections).toBeGreaterThan(0);
      expect(stats.workers.reduce((a, w) => a + w.connections, 0)).toBe(40);
      expect(stats.workers.reduce((a, w) => a + w.framesSent, 0)).toBe(stats.framesSent);
      expect(stats.workers.reduce((a, w) => a + w.bytesSent, 0)).toBe(stats.bytesSent);
      for (let i = 0; i < 2; i++) {
        const text = (await get('/metrics')).text;
        expect(metric(text, 'framebench_server_connections')).toBe(40);
        expect(metric(text, 'framebench_server_frames_sent_total')).toBe(400);
        expect(text).toMatch(/^process_resident_memory_bytes\{pid="\d+"\} /m);
      }
      expect(await server.stats()).toMatchObject({ connections: 40, framesSent: 400 });
    } finally {
      for (const c of clients) c.close();
    }
    await waitFor(async () => (await server.stats()).connections === 0, 'the connections to close');
  });

  it('POST /admin/drop: fraction 0.5 drops about 20 of 40 across both workers; a count is split', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => connect(server.url)));
    try {
      await waitFor(async () => (await server.stats()).connections === 40, '40 connections');
      const before = (await server.stats()).workers.map((w) => w.connections);
      const res = await get('/admin/drop', 'POST', { fraction: 0.5, seed: 3 });
      expect(res.status).toBe(200);
      const { dropped, connections } = JSON.parse(res.text) as { dropped: number; connections: number };
      expect(connections).toBe(40);
      const expected = before.reduce((a, n) => a + Math.round(n / 2), 0);
      expect(dropped).toBe(expected);
      expect(dropped).toBeGreaterThanOrEqual(20);
      expect(dropped).toBeLessThanOrEqual(21);
      const closed = (): Recorder[] => clients.filter((c) => c.closeCode !== undefined);
      await waitFor(() => closed().length === dropped, 'the dropped clients to see the close');
      expect(closed().every((c) => c.closeCode === 1006)).toBe(true);
      const after = await adminStats();
      expect(after.connections).toBe(40 - dropped);
      expect(after.adminDrops).toBe(dropped);
      for (const w of after.workers) expect(w.adminDrops).toBeGreaterThan(0);

      const byCount = JSON.parse((await get('/admin/drop', 'POST', { count: 5 })).text) as { dropped: number };
      expect(byCount.dropped).toBe(5);
      await waitFor(async () => (await server.stats()).connections === 35 - dropped, 'the count drop');
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('restarts a worker that dies; the totals keep its counters', async () => {
    const sentBefore = (await server.stats()).framesSent;
    const [victim, survivor] = server.pids();
    process.kill(victim!, 'SIGKILL');
    await waitFor(() => server.pids().length === 2 && !server.pids().includes(victim!), 'a replacement worker', 8000);
    expect(server.pids()).toContain(survivor);
    const stats = await server.stats();
    expect(stats.framesSent).toBe(sentBefore);
    const clients = await Promise.all(Array.from({ length: 4 }, () => connect(server.url)));
    clients.forEach((c, i) => c.send(generate(i + 1, { frames: 3 })));
    for (const [i, c] of clients.entries()) await c.next('done', i + 1);
    const after = await server.stats();
    expect(after.framesSent).toBe(sentBefore + 12);
    expect(after.workers.filter((w) => w.connections > 0)).toHaveLength(2);
    for (const c of clients) c.close();
  });

  it('close() shuts every worker down gracefully: streams end with 1001', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(server.url)));
    clients.forEach((c, i) => c.send(generate(i + 1, { frames: 0, fps: 50 })));
    await waitFor(() => clients.every((c, i) => c.frames(i + 1).length >= 2), 'frames on every stream');
    const pids = server.pids();
    await server.close();
    for (const c of clients) expect(await c.closed()).toBe(1001);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    const final = await server.stats();
    expect(final.connections).toBe(0);
    expect(final.workers).toEqual([]);
    expect(final.framesSent).toBeGreaterThan(0);
  });
});
