import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, HEADER_BYTES } from '../../src/protocol/header.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { nextAnswer, PollStream } from '../../src/server/http-streams/poll.js';
import { PreparedFrames } from '../../src/server/frame-source.js';
import { tempCacheDir } from './helpers.js';

const cache = tempCacheDir();
let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8, host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  cache.remove();
});

async function create(query: string): Promise<string> {
  const r = await fetch(`${base}/frames?${query}`, { method: 'POST' });
  expect(r.status).toBe(201);
  return ((await r.json()) as { id: string }).id;
}

describe('HTTP polling endpoint', () => {
  it('answers each frame once it is due (binary header + image), 204 before, 410 with done after the last', async () => {
    const id = await create('format=jpeg&resolution=320x240&fps=2&frames=3&requestId=7');
    let r = await fetch(`${base}/frames/${id}/next?after=-1`);
    expect(r.status).toBe(200);
    const body = Buffer.from(await r.arrayBuffer());
    const h = decodeHeader(body);
    expect(h).toMatchObject({ requestId: 7, seq: 0, width: 320, height: 240 });
    expect(body.length).toBe(HEADER_BYTES + h.payloadBytes);
    r = await fetch(`${base}/frames/${id}/next?after=0`);
    expect(r.status).toBe(204);
    const t0 = performance.now();
    r = await fetch(`${base}/frames/${id}/next?after=0&wait=2000`);
    expect(r.status).toBe(200);
    expect(decodeHeader(Buffer.from(await r.arrayBuffer())).seq).toBe(1);
    expect(performance.now() - t0).toBeGreaterThan(100);
    r = await fetch(`${base}/frames/${id}/next?after=1&wait=2000`);
    expect(decodeHeader(Buffer.from(await r.arrayBuffer())).seq).toBe(2);
    r = await fetch(`${base}/frames/${id}/next?after=2`);
    expect(r.status).toBe(410);
    expect(await r.json()).toEqual({ type: 'done', requestId: 7, frames: 3, dropped: 0 });
    r = await fetch(`${base}/frames/${id}/next?after=2`);
    expect(r.status).toBe(404);
  });

  it('a long poll that outlasts its wait answers 204; DELETE cancels with done', async () => {
    const id = await create('format=jpeg&resolution=320x240&fps=1&frames=0');
    await (await fetch(`${base}/frames/${id}/next?after=-1`)).arrayBuffer();
    const r = await fetch(`${base}/frames/${id}/next?after=0&wait=100`);
    expect(r.status).toBe(204);
    const d = await fetch(`${base}/frames/${id}`, { method: 'DELETE' });
    expect(d.status).toBe(200);
    expect(await d.json()).toMatchObject({ type: 'done', frames: 1 });
    expect((await fetch(`${base}/frames/${id}/next?after=0`)).status).toBe(404);
  });

  it('rejects bad parameters with a message naming the field', async () => {
    let r = await fetch(`${base}/frames?format=gif`, { method: 'POST' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/^format: unknown format "gif"/);
    const id = await create('format=jpeg&resolution=320x240&fps=10&frames=2');
    r = await fetch(`${base}/frames/${id}/next?after=x`);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/^after: must be an integer/);
    r = await fetch(`${base}/frames/${id}/next?wait=999999`);
    expect(((await r.json()) as { error: string }).error).toMatch(/^wait: must be an integer from 0 to 30000/);
    r = await fetch(`${base}/frames/${id}/next`, { method: 'PUT' });
    expect(r.status).toBe(405);
  });
});

describe('SSE endpoint', () => {
  it('streams frames as base64-json data lines, then done, then ends the response', async () => {
    const r = await fetch(`${base}/sse?format=jpeg&resolution=320x240&fps=50&frames=3&requestId=4`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const events = (await r.text()).split('\n\n').filter(Boolean);
    expect(events).toHaveLength(4);
    const frames = events.slice(0, 3).map((e) => {
      const [ev, data] = e.split('\n');
      expect(ev).toBe('event: frame');
      return JSON.parse(data!.slice('data: '.length)) as Record<string, unknown>;
    });
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
    expect(frames[0]).toMatchObject({ type: 'frame', requestId: 4, width: 320, height: 240, format: 'jpeg' });
    const jpeg = Buffer.from(frames[0]!.data as string, 'base64');
    expect(jpeg[0]).toBe(0xff);
    expect(jpeg[1]).toBe(0xd8);
    expect(events[3]).toBe('event: done\ndata: {"type":"done","requestId":4,"frames":3,"dropped":0}');
  });
});

describe('nextAnswer (pure)', () => {
  const frames = new PreparedFrames('jpeg', 2, 2, [Buffer.from([1])]);
  const s = new PollStream('x', 1, frames, 10, 100, 0, 0);
  const limits = { replayFrames: 4, maxWaitMs: 1000 };
  it('the next frame when due, a wait time before, done after the last', () => {
    expect(nextAnswer(s, -1, 0, limits)).toEqual({ kind: 'frame', seq: 0 });
    expect(nextAnswer(s, 0, 50_000, limits)).toEqual({ kind: 'wait', untilUs: 100_000 });
    expect(nextAnswer(s, 99, 50e6, limits)).toEqual({ kind: 'done' });
  });
  it('a poller further behind than the replay window skips ahead to the oldest frame kept', () => {
    expect(nextAnswer(s, -1, 1_000_000, limits)).toEqual({ kind: 'frame', seq: 7 });
    expect(nextAnswer(s, 7, 1_000_000, limits)).toEqual({ kind: 'frame', seq: 8 });
  });
});
