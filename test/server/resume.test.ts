// Resume with a bounded replay window against real sockets: a lost connection detaches the session's
// stream, a reconnecting client resumes it from lastSeq (replaying with original due times), and
// unknown, expired or evicted streams answer unknown_request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowUs } from '../../src/protocol/clock.js';
import { readSeq, readTimeUs } from '../../src/protocol/header.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { connect, generate, tempCacheDir, type Recorder } from './helpers.js';

const cache = tempCacheDir();
let server: RunningServer;

beforeAll(async () => {
  server = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12 });
  await server.prewarm([{ format: 'webp', width: 160, height: 90, quality: 75 }]);
});

afterAll(async () => {
  await server.close();
  cache.remove();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const seqs = (c: Recorder, id: number): number[] => c.frames(id).map((f) => readSeq(f.data));

/** Streams `frames` at `fps` with a session, kills the socket after `after` frames; returns the lost client. */
async function streamThenDie(url: string, session: string | undefined, id: number, frames: number, fps: number, after: number): Promise<Recorder> {
  const c = await connect(url);
  c.send(generate(id, session === undefined ? { frames, fps } : { session, frames, fps }));
  await c.until(() => c.frames(id).length >= after, `${after} frames`);
  c.close();
  await c.closed();
  return c;
}

describe('resume', () => {
  it('replays the missing frames with their original due times, then streams live and sends done', async () => {
    const total = 80;
    const first = await streamThenDie(server.url, 'sess-a', 1, total, 50, 10);
    const lastSeq = Math.max(...seqs(first, 1));
    await first.until(() => server.stats().detachedStreams === 1, 'the stream to be detached', 2000);
    await sleep(300);
    const second = await connect(server.url);
    const resumedAtUs = nowUs();
    second.send({ type: 'resume', session: 'sess-a', requestId: 1, lastSeq });
    const resumed = await second.next('resumed', 1);
    expect(resumed).toEqual({ type: 'resumed', requestId: 1, fromSeq: lastSeq + 1 });
    const done = await second.next('done', 1, 5000);
    expect(done).toMatchObject({ frames: total, dropped: 0 });

    const all = [...seqs(first, 1), ...seqs(second, 1)];
    expect(all).toEqual([...Array(total).keys()]);
    const replayed = second.frames(1).filter((f) => readTimeUs(f.data) < resumedAtUs);
    expect(replayed.length).toBeGreaterThanOrEqual(10);
    expect(readSeq(replayed[0]!.data)).toBe(lastSeq + 1);
    const outageMs = (replayed[0]!.atUs - readTimeUs(replayed[0]!.data)) / 1000;
    expect(outageMs).toBeGreaterThan(250);
    const live = second.frames(1).at(-1)!;
    expect((live.atUs - readTimeUs(live.data)) / 1000).toBeLessThan(50);
    expect(server.stats()).toMatchObject({ detachedStreams: 0, activeRequests: 0 });
    expect(server.stats().resumes).toBeGreaterThanOrEqual(1);
    expect(server.stats().framesDetached).toBeGreaterThanOrEqual(10);
    second.close();
  });

  it('a finite stream that finished while detached stays resumable: the tail and done arrive', async () => {
    const first = await streamThenDie(server.url, 'sess-b', 4, 30, 100, 5);
    const lastSeq = Math.max(...seqs(first, 4));
    await sleep(400);
    const second = await connect(server.url);
    second.send({ type: 'resume', session: 'sess-b', requestId: 4, lastSeq });
    expect((await second.next('resumed', 4)).fromSeq).toBe(lastSeq + 1);
    expect(await second.next('done', 4)).toMatchObject({ frames: 30 });
    expect([...seqs(first, 4), ...seqs(second, 4)]).toEqual([...Array(30).keys()]);
    second.close();
  });

  it('a request that finished on a live connection stays resumable for the grace period (its tail may have been lost)', async () => {
    const c = await connect(server.url);
    c.send(generate(6, { session: 'sess-f', frames: 8, fps: 200 }));
    await c.next('done', 6);
    expect(server.stats().detachedStreams).toBe(0);
    c.close();
    const d = await connect(server.url);
    d.send({ type: 'resume', session: 'sess-f', requestId: 6, lastSeq: 5 });
    expect(await d.next('resumed', 6)).toMatchObject({ fromSeq: 6 });
    expect(await d.next('done', 6)).toMatchObject({ frames: 8 });
    expect(seqs(d, 6)).toEqual([6, 7]);
    d.close();
  });

  it('takes over a stream whose old connection is still open (the server had not noticed it died)', async () => {
    const old = await connect(server.url);
    old.send(generate(2, { session: 'sess-c', frames: 0, fps: 100 }));
    await old.until(() => old.frames(2).length >= 5, 'frames');
    const taker = await connect(server.url);
    taker.send({ type: 'resume', session: 'sess-c', requestId: 2, lastSeq: -1 });
    expect((await taker.next('resumed', 2)).fromSeq).toBe(0);
    await taker.until(() => taker.frames(2).length >= old.frames(2).length + 5, 'replay and live frames');
    const oldCount = old.frames(2).length;
    await sleep(100);
    expect(old.frames(2).length).toBe(oldCount);
    taker.send({ type: 'cancel', requestId: 2 });
    const done = await taker.next('done', 2);
    expect(done.frames).toBe(Math.max(...seqs(taker, 2)) + 1);
    old.close();
    taker.close();
  });

  it('works for the base64-json transport too', async () => {
    const c = await connect(server.url);
    c.send(generate(3, { session: 'sess-j', frames: 20, fps: 100, transport: 'base64-json' }));
    await c.until(() => c.json('frame', 3).length >= 4, 'frames');
    c.close();
    await c.closed();
    const lastSeq = Math.max(...c.json('frame', 3).map((f) => f.seq as number));
    const d = await connect(server.url);
    d.send({ type: 'resume', session: 'sess-j', requestId: 3, lastSeq });
    await d.next('done', 3);
    expect([...c.json('frame', 3), ...d.json('frame', 3)].map((f) => f.seq)).toEqual([...Array(20).keys()]);
    d.close();
  });

  it('an unknown session or request → unknown_request; a generate without session is not resumable', async () => {
    const c = await connect(server.url);
    c.send({ type: 'resume', session: 'nobody', requestId: 9, lastSeq: 3 });
    expect(await c.next('error', 9)).toMatchObject({ code: 'unknown_request', requestId: 9, message: expect.stringMatching(/^requestId:/) });
    c.send({ type: 'resume', session: '', requestId: 9, lastSeq: 3 });
    await c.until(() => c.json('error', 9).length === 2, 'second error');
    expect(c.json('error', 9)[1]).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^session:/) });
    c.close();
    await streamThenDie(server.url, undefined, 5, 50, 100, 3);
    const d = await connect(server.url);
    d.send({ type: 'resume', session: 'sess-none', requestId: 5, lastSeq: 2 });
    expect(await d.next('error', 5)).toMatchObject({ code: 'unknown_request' });
    d.close();
  });
});

describe('replay window and expiry', () => {
  it('after more than replayFrames frames were produced, fromSeq skips the frames that left the window', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, replayFrames: 5 });
    try {
      const first = await streamThenDie(s.url, 'w', 1, 0, 100, 3);
      const lastSeq = Math.max(...seqs(first, 1));
      await sleep(200);
      const second = await connect(s.url);
      second.send({ type: 'resume', session: 'w', requestId: 1, lastSeq });
      const fromSeq = (await second.next('resumed', 1)).fromSeq as number;
      expect(fromSeq).toBeGreaterThan(lastSeq + 1);
      await second.until(() => second.frames(1).length >= 10, 'frames');
      const got = seqs(second, 1);
      expect(got[0]).toBe(fromSeq);
      expect(got).toEqual([...Array(got.length).keys()].map((i) => fromSeq + i));
      second.close();
    } finally {
      await s.close();
    }
  });

  it('expires detached streams after resumeGraceMs', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, resumeGraceMs: 200 });
    try {
      await streamThenDie(s.url, 'x', 1, 0, 100, 2);
      const c = await connect(s.url);
      await c.until(() => s.stats().detachedStreams === 1, 'the stream to be detached', 2000);
      await c.until(() => s.stats().detachedStreams === 0, 'the grace to expire', 2000);
      expect(s.stats().framesDetached).toBeGreaterThan(5);
      c.send({ type: 'resume', session: 'x', requestId: 1, lastSeq: 0 });
      expect(await c.next('error', 1)).toMatchObject({ code: 'unknown_request' });
      c.close();
    } finally {
      await s.close();
    }
  });

  it('evicts the oldest detached stream over maxDetachedStreams', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, maxDetachedStreams: 2 });
    try {
      for (const session of ['y1', 'y2', 'y3']) await streamThenDie(s.url, session, 1, 0, 100, 2);
      const c = await connect(s.url);
      await c.until(() => s.stats().connections === 1, 'the lost connections to close', 2000);
      expect(s.stats().detachedStreams).toBe(2);
      c.send({ type: 'resume', session: 'y1', requestId: 1, lastSeq: 0 });
      expect(await c.next('error', 1)).toMatchObject({ code: 'unknown_request' });
      c.send({ type: 'resume', session: 'y3', requestId: 1, lastSeq: 0 });
      expect(await c.next('resumed', 1)).toMatchObject({ fromSeq: 1 });
      c.close();
    } finally {
      await s.close();
    }
  });

  it('resumeGraceMs 0 disables resume', async () => {
    const s = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 12, resumeGraceMs: 0 });
    try {
      await streamThenDie(s.url, 'off', 1, 0, 100, 2);
      const c = await connect(s.url);
      c.send({ type: 'resume', session: 'off', requestId: 1, lastSeq: 0 });
      expect(await c.next('error', 1)).toMatchObject({ code: 'unknown_request' });
      expect(s.stats().detachedStreams).toBe(0);
      c.close();
    } finally {
      await s.close();
    }
  });
});
