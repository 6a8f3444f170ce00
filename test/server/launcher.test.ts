// spawnEmbeddedServer: the server in a child process (compiled dist/server/child.js), stats over IPC,
// SIGTERM shutdown, and start-up failures.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { readSeq } from '../../src/protocol/header.js';
import { spawnEmbeddedServer } from '../../src/server/launcher.js';
import type { ClusterStats } from '../../src/server/options.js';
import { connect, generate, tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
afterAll(() => cache.remove());

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('spawnEmbeddedServer', () => {
  it('starts a prewarmed child, serves frames, reports stats, and stops on SIGTERM', async () => {
    const server = await spawnEmbeddedServer({
      cacheDir: cache.dir,
      corpusFrames: 4,
      prewarm: [{ format: 'jpeg', width: 160, height: 90, quality: 80 }],
    });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
    expect(server.pid).not.toBe(process.pid);
    const c = await connect(server.url);
    c.send(generate(1, { format: 'jpeg', quality: 80, frames: 6, fps: 100 }));
    expect(await c.next('done', 1)).toMatchObject({ frames: 6, dropped: 0 });
    expect(c.frames(1).map((f) => readSeq(f.data))).toEqual([0, 1, 2, 3, 4, 5]);
    const stats = await server.stats();
    expect(stats).toMatchObject({ connections: 1, connectionsTotal: 1, requests: 1, framesSent: 6, framesDropped: 0 });
    expect(stats.bytesSent).toBeGreaterThan(6 * 32);
    await server.stop();
    expect(await c.closed()).toBe(1001);
    expect(isAlive(server.pid)).toBe(false);
    await expect(server.stats()).rejects.toBeInstanceOf(TargetError);
  });

  it('with workers: 2 the child is a cluster primary: totals, term/kill restarts on the same port, SIGTERM closes streams with 1001', async () => {
    const server = await spawnEmbeddedServer({ cacheDir: cache.dir, corpusFrames: 4, workers: 2 });
    try {
      const { url, port, pid } = server;
      const first = await Promise.all(Array.from({ length: 4 }, () => connect(url)));
      first.forEach((c, i) => c.send(generate(i + 1, { frames: 0, fps: 50 })));
      await Promise.all(first.map((c, i) => c.until(() => c.frames(i + 1).length >= 2, 'frames')));
      const stats = (await server.stats()) as ClusterStats;
      expect(stats.connections).toBe(4);
      expect(stats.workers).toHaveLength(2);
      expect(stats.workers.map((w) => w.pid)).not.toContain(pid);
      await server.restart('term', 0);
      for (const c of first) expect(await c.closed()).toBe(1001);
      for (const w of stats.workers) expect(isAlive(w.pid)).toBe(false);
      expect(server.port).toBe(port);
      expect(server.pid).not.toBe(pid);
      const again = await connect(url);
      again.send(generate(1, { frames: 5 }));
      expect(await again.next('done', 1)).toMatchObject({ frames: 5 });
      expect(await server.stats()).toMatchObject({ connections: 1, framesSent: 5 });
      await server.restart('kill', 0);
      expect(await again.closed()).toBe(1006);
      const last = await connect(url);
      last.send(generate(1, { frames: 2 }));
      await last.next('done', 1);
      const workers = ((await server.stats()) as ClusterStats).workers.map((w) => w.pid);
      expect(workers).toHaveLength(2);
      await server.stop();
      expect(await last.closed()).toBe(1001);
      for (const w of workers) expect(isAlive(w)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('stops with SIGKILL too', async () => {
    const server = await spawnEmbeddedServer({ cacheDir: cache.dir });
    await server.stop('SIGKILL');
    expect(isAlive(server.pid)).toBe(false);
  });

  it('rejects with a TargetError naming the port when it is busy', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await spawnEmbeddedServer({ cacheDir: cache.dir, port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TargetError);
      expect((err as Error).message).toContain(`port ${port}`);
    } finally {
      blocker.close();
    }
  });

  it('rejects with the stderr tail when the child fails before ready', async () => {
    const err = await spawnEmbeddedServer({ cacheDir: cache.dir, prewarm: [{ format: 'webp', width: 160, height: 90, quality: 500 }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as Error).message).toMatch(/quality/);
  });
});
