// Reference server protocol edges against real sockets: errors, auth, limits, clock, health,
// backpressure drops, heartbeats, and graceful shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nowUs } from '../../src/protocol/clock.js';
import { TargetError } from '../../src/errors.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { connect, generate, tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
let server: RunningServer;

beforeAll(async () => {
  server = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 4, maxMessageBytes: 4096 });
});

afterAll(async () => {
  await server.close();
  cache.remove();
});

async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('errors leave the connection usable', () => {
  it('invalid JSON → bad_json, then a generate still streams', async () => {
    const c = await connect(server.url);
    c.send('{"type": "generate", ');
    expect(await c.next('error')).toMatchObject({ code: 'bad_json' });
    c.send(generate(1, { frames: 3 }));
    expect(await c.next('done', 1)).toMatchObject({ frames: 3 });
    expect(c.frames(1)).toHaveLength(3);
    c.close();
  });

  it('names the field for unknown types, bad fields, unknown formats and resolutions', async () => {
    const c = await connect(server.url);
    const cases: Array<[object, string, RegExp]> = [
      [{ type: 'dance' }, 'unknown_type', /^type:/],
      [['not', 'an', 'object'], 'bad_request', /object/],
      [generate(1, { requestId: -1 }), 'bad_request', /^requestId:/],
      [generate(2, { format: 'gif' }), 'bad_request', /^format: .*gif.*webp, jpeg, png/],
      [generate(3, { resolution: '12x9000' }), 'bad_request', /^resolution: .*480p/],
      [generate(4, { quality: 0 }), 'bad_request', /^quality:/],
      [generate(5, { fps: 'fast' }), 'bad_request', /^fps:/],
      [generate(6, { frames: 1.5 }), 'bad_request', /^frames:/],
      [generate(7, { transport: 'carrier-pigeon' }), 'bad_request', /^transport:/],
      [{ type: 'clock' }, 'bad_request', /^t0:/],
    ];
    for (const [msg, code, message] of cases) {
      const before = c.json('error').length;
      c.send(msg);
      await c.until(() => c.json('error').length > before, `error for ${JSON.stringify(msg)}`);
      const err = c.json('error').at(-1)!;
      expect(err.code, JSON.stringify(msg)).toBe(code);
      expect(err.message, JSON.stringify(msg)).toMatch(message);
    }
    expect(c.json('error', 2)).toHaveLength(1);
    c.send(generate(8, { frames: 2 }));
    await c.next('done', 8);
    c.close();
  });

  it('rejects a duplicate active requestId without disturbing the first', async () => {
    const c = await connect(server.url);
    c.send(generate(11, { frames: 0, fps: 50 }));
    c.send(generate(11, { frames: 5 }));
    expect(await c.next('error', 11)).toMatchObject({ code: 'duplicate_request', message: expect.stringMatching(/^requestId:/) });
    await c.until(() => c.frames(11).length >= 3, 'frames');
    c.send({ type: 'cancel', requestId: 11 });
    expect((await c.next('done', 11)).frames).toBe(c.frames(11).length);
    c.close();
  });

  it('closes with 1009 when an inbound message exceeds maxMessageBytes', async () => {
    const c = await connect(server.url);
    c.send({ type: 'clock', t0: 1, pad: 'x'.repeat(5000) });
    expect(await c.closed()).toBe(1009);
  });
});

describe('clock and health', () => {
  it('answers a clock exchange with the server time', async () => {
    const c = await connect(server.url);
    const t0 = nowUs();
    c.send({ type: 'clock', t0 });
    const reply = await c.next('clock');
    expect(reply.t0).toBe(t0);
    expect(reply.t1 as number).toBeGreaterThanOrEqual(t0);
    expect(reply.t1 as number).toBeLessThanOrEqual(nowUs());
    c.close();
  });

  it('GET /healthz → 200 {"ok":true}', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(426);
  });

  it('accepts WebSockets on any path', async () => {
    const c = await connect(`${server.url}some/deep/path?x=1`);
    c.send(generate(1, { frames: 1 }));
    await c.next('done', 1);
    c.close();
  });
});

describe('token auth at the upgrade', () => {
  it('401 without the token, works with the Bearer header or ?token=', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 4, token: 's3cret' });
    try {
      expect(await upgradeStatus(s.url)).toBe(401);
      expect(await upgradeStatus(s.url, { authorization: 'Bearer wrong' })).toBe(401);
      expect(await upgradeStatus(`${s.url}?token=nope`)).toBe(401);
      const viaHeader = await connect(s.url, { headers: { authorization: 'Bearer s3cret' } });
      viaHeader.send(generate(1, { frames: 2 }));
      await viaHeader.next('done', 1);
      viaHeader.close();
      const viaQuery = await connect(`${s.url}?token=s3cret`);
      viaQuery.send(generate(1, { frames: 2 }));
      await viaQuery.next('done', 1);
      viaQuery.close();
      expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('backpressure', () => {
  it('drops and counts frames while the client is not reading, never queueing without bound', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 2, maxBufferBytes: 1024 * 1024 });
    try {
      await s.prewarm([{ format: 'png', width: 854, height: 480, quality: 75 }]);
      const c = await connect(s.url);
      const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      socket.pause();
      const total = 150;
      c.send(generate(1, { format: 'png', resolution: '480p', frames: total, fps: 300 }));
      await new Promise((r) => setTimeout(r, total * (1000 / 300) + 300));
      expect(s.stats().framesDropped).toBeGreaterThan(0);
      socket.resume();
      const done = await c.next('done', 1);
      const received = c.frames(1).length;
      expect(done.frames).toBe(total);
      expect(done.dropped).toBeGreaterThan(0);
      expect(received + (done.dropped as number)).toBe(total);
      expect(s.stats()).toMatchObject({ framesDropped: done.dropped, framesSent: received });
      c.close();
    } finally {
      await s.close();
    }
  });
});

describe('heartbeat and shutdown', () => {
  it('terminates a peer that stops answering pings', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, heartbeatMs: 50 });
    try {
      const quiet = await connect(s.url, { autoPong: false });
      const lively = await connect(s.url);
      expect(await quiet.closed(2000)).toBe(1006);
      expect(lively.closeCode).toBeUndefined();
      await lively.until(() => s.stats().connections === 1, 'the server to drop the quiet peer', 1000);
      lively.close();
    } finally {
      await s.close();
    }
  });

  it('graceful close stops streams with 1001, refuses new upgrades, and counts', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 4 });
    const c = await connect(s.url);
    c.send(generate(1, { frames: 0, fps: 100 }));
    await c.until(() => c.frames(1).length >= 2, 'frames');
    const stats = s.stats();
    expect(stats).toMatchObject({ connections: 1, connectionsTotal: 1, requests: 1, activeRequests: 1 });
    await s.close({ graceful: true });
    expect(await c.closed()).toBe(1001);
    expect(s.stats()).toMatchObject({ connections: 0, activeRequests: 0 });
    await expect(connect(s.url)).rejects.toThrow();
  });

  it('reports a busy port as a TargetError naming the port', async () => {
    const err = await startReferenceServer({ cacheDir: cache.dir, port: server.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as Error).message).toContain(String(server.port));
  });
});
