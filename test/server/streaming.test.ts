// Reference server streaming against real sockets: frame count, order, header times, delay,
// transports, concurrency, cancel, and catch-up after a stalled event loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, FORMAT_CODES, HEADER_BYTES, readSeq, readTimeUs } from '../../src/protocol/header.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { connect, generate, tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
let server: RunningServer;

beforeAll(async () => {
  server = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8 });
  await server.prewarm([{ format: 'webp', width: 160, height: 90, quality: 75 }]);
});

afterAll(async () => {
  await server.close();
  cache.remove();
});

describe('generate', () => {
  it('streams exactly N frames with increasing seq, then done', async () => {
    const c = await connect(server.url);
    c.send(generate(7, { frames: 12, fps: 200 }));
    const done = await c.next('done', 7);
    const frames = c.frames(7);
    expect(frames.map((f) => readSeq(f.data))).toEqual([...Array(12).keys()]);
    expect(done).toEqual({ type: 'done', requestId: 7, frames: 12, dropped: 0 });
    const h = decodeHeader(frames[3]!.data);
    expect(h).toMatchObject({ format: FORMAT_CODES.webp, requestId: 7, seq: 3, width: 160, height: 90 });
    expect(h.payloadBytes).toBe(frames[3]!.data.length - HEADER_BYTES);
    expect(c.messages.indexOf(c.messages.find((m) => m.json?.type === 'done')!)).toBe(c.messages.length - 1);
    c.close();
  });

  it('stamps each frame with its due time: 1/fps apart and close to the receive time', async () => {
    const c = await connect(server.url);
    c.send(generate(1, { frames: 20, fps: 50 }));
    await c.next('done', 1);
    const frames = c.frames(1);
    const times = frames.map((f) => readTimeUs(f.data));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeCloseTo(20_000, 3);
    for (const f of frames) {
      const latencyMs = (f.atUs - readTimeUs(f.data)) / 1000;
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      expect(latencyMs).toBeLessThan(30);
    }
    const spanMs = (frames.at(-1)!.atUs - frames[0]!.atUs) / 1000;
    expect(spanMs).toBeGreaterThan(19 * 20 - 30);
    c.close();
  });

  it('two concurrent requests on one connection both complete', async () => {
    const c = await connect(server.url);
    c.send(generate(1, { frames: 15, fps: 100 }));
    c.send(generate(2, { frames: 10, fps: 60, format: 'webp' }));
    await c.next('done', 1);
    await c.next('done', 2);
    expect(c.frames(1).map((f) => readSeq(f.data))).toEqual([...Array(15).keys()]);
    expect(c.frames(2).map((f) => readSeq(f.data))).toEqual([...Array(10).keys()]);
    expect(c.json('error')).toEqual([]);
    c.close();
  });

  it('cancel stops a continuous request and done reports the frames generated', async () => {
    const c = await connect(server.url);
    c.send(generate(9, { frames: 0, fps: 100 }));
    await c.until(() => c.frames(9).length >= 10, '10 frames');
    c.send({ type: 'cancel', requestId: 9 });
    const done = await c.next('done', 9);
    const received = c.frames(9).length;
    expect(done.frames).toBe(received);
    expect(done.dropped).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames(9).length).toBe(received);
    c.send({ type: 'cancel', requestId: 9 });
    expect(await c.next('error', 9)).toMatchObject({ code: 'unknown_request' });
    c.close();
  });

  it('a finished requestId can be reused', async () => {
    const c = await connect(server.url);
    c.send(generate(5, { frames: 2 }));
    await c.next('done', 5);
    c.send(generate(5, { frames: 3 }));
    await c.until(() => c.json('done', 5).length === 2, 'second done');
    expect(c.frames(5)).toHaveLength(5);
    c.close();
  });

  it('base64-json transport sends frames as JSON text with the same fields', async () => {
    const c = await connect(server.url);
    c.send(generate(3, { frames: 4, fps: 100, transport: 'base64-json' }));
    await c.next('done', 3);
    const frames = c.json('frame', 3);
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3]);
    const f = frames[1]!;
    expect(f).toMatchObject({ requestId: 3, width: 160, height: 90, format: 'webp' });
    expect(
      Buffer.from(f.data as string, 'base64')
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');
    expect((f.timeUs as number) - (frames[0]!.timeUs as number)).toBeCloseTo(10_000, 3);
  });

  it('catches up on every overdue frame after the event loop stalls', async () => {
    const c = await connect(server.url);
    c.send(generate(4, { frames: 40, fps: 100 }));
    await c.until(() => c.frames(4).length >= 3, 'first frames');
    const until = Date.now() + 200;
    while (Date.now() < until) {
      /* stall the shared event loop */
    }
    await c.next('done', 4);
    const frames = c.frames(4);
    expect(frames.map((f) => readSeq(f.data))).toEqual([...Array(40).keys()]);
    const worstLatencyMs = Math.max(...frames.map((f) => (f.atUs - readTimeUs(f.data)) / 1000));
    expect(worstLatencyMs).toBeGreaterThan(100);
    c.close();
  });
});

describe('frame writes', () => {
  it('direct socket writes and the ws.send fallback put the same messages on the wire', async () => {
    const fallback = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8 }, { rawWrites: false });
    try {
      const received = [];
      for (const s of [server, fallback]) {
        const c = await connect(s.url);
        c.send(generate(1, { frames: 3 }));
        c.send(generate(2, { frames: 3, transport: 'base64-json' }));
        await c.next('done', 1);
        await c.next('done', 2);
        received.push({
          binary: c.frames(1).map((f) => ({ ...decodeHeader(f.data), timeUs: 0, payload: f.data.subarray(HEADER_BYTES) })),
          json: c.json('frame', 2).map((f) => ({ ...f, timeUs: typeof f.timeUs })),
        });
        c.close();
      }
      expect(received[0]!.binary).toHaveLength(3);
      expect(received[0]!.json).toHaveLength(3);
      expect(received[1]).toEqual(received[0]);
    } finally {
      await fallback.close();
    }
  });
});

describe('delay and jitter', () => {
  it('delayMs shifts every send: receive − header time ≥ delay', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8, delayMs: 20, jitterMs: 5 });
    try {
      const c = await connect(s.url);
      c.send(generate(1, { frames: 10, fps: 100 }));
      await c.next('done', 1);
      const frames = c.frames(1);
      expect(frames.map((f) => readSeq(f.data))).toEqual([...Array(10).keys()]);
      for (const f of frames) expect((f.atUs - readTimeUs(f.data)) / 1000).toBeGreaterThanOrEqual(20);
      c.close();
    } finally {
      await s.close();
    }
  });
});
