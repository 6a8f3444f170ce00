// EmbeddedServer.restart: kill or term the child, come back on the same port (fresh stats, same admin
// token), retry a busy port then fail naming it, and never leave a child behind when stop() interrupts.
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { adminDrop } from '../../src/server/admin-client.js';
import { spawnEmbeddedServer, type EmbeddedServerOptions } from '../../src/server/launcher.js';
import { connect, generate, tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
afterAll(() => cache.remove());

const OPTS: EmbeddedServerOptions = { cacheDir: cache.dir, corpusFrames: 12, prewarm: [{ format: 'webp', width: 160, height: 90, quality: 75 }] };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function block(port: number): Promise<Server> {
  const s = createServer();
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('EmbeddedServer.restart', () => {
  it("restart('kill', 200): streams die abruptly, the port and admin token stay, stats start from zero", async () => {
    const server = await spawnEmbeddedServer(OPTS);
    try {
      expect(server.adminToken).toMatch(/^[\w-]{20,}$/);
      const { url, port, pid } = server;
      const c = await connect(url);
      c.send(generate(1, { frames: 0, fps: 50 }));
      await c.until(() => c.frames(1).length >= 3, 'frames');
      const began = Date.now();
      await server.restart('kill', 200);
      expect(Date.now() - began).toBeGreaterThanOrEqual(200);
      expect(await c.closed()).toBe(1006);
      expect(isAlive(pid)).toBe(false);
      expect(server.pid).not.toBe(pid);
      expect(isAlive(server.pid)).toBe(true);
      expect(server.url).toBe(url);
      expect(server.port).toBe(port);
      const d = await connect(url);
      d.send(generate(2, { frames: 5 }));
      expect(await d.next('done', 2)).toMatchObject({ frames: 5 });
      expect(await server.stats()).toMatchObject({ connectionsTotal: 1, requests: 1, framesSent: 5 });
      expect(await adminDrop(url, server.adminToken, { count: 1 })).toBe(1);
      expect(await d.closed()).toBe(1006);
    } finally {
      await server.stop();
    }
  });

  it("restart('term') closes streams with 1001", async () => {
    const server = await spawnEmbeddedServer(OPTS);
    try {
      const c = await connect(server.url);
      c.send(generate(1, { frames: 0, fps: 50 }));
      await c.until(() => c.frames(1).length >= 3, 'frames');
      await server.restart('term', 0);
      expect(await c.closed()).toBe(1001);
      const d = await connect(server.url);
      d.send(generate(1, { frames: 3 }));
      await d.next('done', 1);
      d.close();
    } finally {
      await server.stop();
    }
  });

  it('retries a busy port, then rejects with a TargetError naming it; a later restart recovers', async () => {
    const server = await spawnEmbeddedServer({ ...OPTS, rebindTimeoutMs: 400 });
    try {
      const oldPid = server.pid;
      const failing = server.restart('kill', 300).catch((e: unknown) => e);
      await waitFor(() => !isAlive(oldPid), 'the old child to exit');
      let blocker = await block(server.port);
      const err = await failing;
      expect(err).toBeInstanceOf(TargetError);
      expect((err as Error).message).toContain(`port ${server.port}`);
      await expect(server.stats()).rejects.toBeInstanceOf(TargetError);
      await new Promise<void>((r) => blocker.close(() => r()));

      const pid2 = server.pid;
      const retrying = server.restart('kill', 0);
      blocker = await block(server.port);
      setTimeout(() => blocker.close(), 150);
      await retrying;
      expect(server.pid).not.toBe(pid2);
      expect((await server.stats()).connections).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('stop() during the downtime or the new child start-up leaves no child running', async () => {
    const server = await spawnEmbeddedServer(OPTS);
    const first = server.pid;
    const during = server.restart('kill', 1000).catch((e: unknown) => e);
    await waitFor(() => !isAlive(first), 'the old child to exit');
    await server.stop();
    expect(((await during) as Error).message).toMatch(/stopped during a restart/);
    expect(server.pid).toBe(first);

    const again = await spawnEmbeddedServer(OPTS);
    const before = again.pid;
    const starting = again.restart('kill', 0).catch((e: unknown) => e);
    await waitFor(() => again.pid !== before, 'the new child to be forked');
    const forked = again.pid;
    await again.stop();
    expect(await starting).toBeInstanceOf(TargetError);
    expect(isAlive(before)).toBe(false);
    expect(isAlive(forked)).toBe(false);
  });
});
