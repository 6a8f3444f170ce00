// Gateway and generator in this process against a real redis-server: the JSON base64 envelope,
// the base64-json client transport, a full work queue refused with queue_full, the generator's
// metrics, and a graceful gateway stop leaving the stream resumable on another gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startGenerator, type RunningGenerator } from '../../src/generator/http.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway/gateway-server.js';
import { freePort, spawnPart, stopPid, waitHealthy } from '../../src/topology/parts.js';
import { isAlive, type PartState } from '../../src/topology/state.js';
import { TEST_CACHE_DIR, tempDir } from '../helpers.js';
import { openStream, waitFor } from './stream-client.js';

let redis: PartState;
let redisUrl: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const dir = tempDir('fb-gw-');
  const port = await freePort();
  redis = spawnPart('redis', 'redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], join(dir, 'redis.log'), port, '');
  await waitHealthy(redis);
  redisUrl = `redis://127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  await stopPid(redis.pid);
  expect(isAlive(redis.pid)).toBe(false);
}, 30_000);

async function gateway(queue: string, extra: Record<string, unknown> = {}): Promise<RunningGateway> {
  const gw = await startGateway({ redisUrl, queue, ...extra });
  closers.push(() => gw.close());
  return gw;
}

async function generator(queue: string, envelope: 'raw' | 'json', replayFrames = 150): Promise<RunningGenerator> {
  const g = await startGenerator({ redisUrl, queue, envelope, replayFrames, cacheDir: TEST_CACHE_DIR, pace: { firstFrameMeanMs: 20, firstFrameSdMs: 0 }, seed: 1 });
  closers.push(() => g.close());
  return g;
}

const gen = (requestId: number, frames: number, extra: Record<string, unknown> = {}) => ({ type: 'generate', requestId, format: 'webp', resolution: '480p', quality: 75, fps: 50, frames, ...extra });

describe('gateway with generators on a real Redis', () => {
  it('turns the JSON base64 envelope into binary frames, and serves base64-json clients', async () => {
    const gw = await gateway('q-json');
    const g = await generator('q-json', 'json');
    const a = await openStream(gw.url, gen(1, 20));
    const end = await a.done;
    expect(end).toMatchObject({ type: 'done', frames: 20 });
    expect(a.seqs.size).toBe(20);
    expect(a.messages.find((m) => m.type === 'generation')).toMatchObject({ requestId: 1, worker: expect.any(String) as unknown });
    a.ws.close();
    const b = await openStream(gw.url, gen(2, 10, { transport: 'base64-json' }));
    await b.done;
    const frames = b.messages.filter((m) => m.type === 'frame');
    expect(frames.map((f) => f.seq)).toEqual([...Array(10).keys()]);
    expect(
      Buffer.from(frames[0]!.data as string, 'base64')
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');
    b.ws.close();
    const metrics = await (await fetch(`${g.url}metrics`)).text();
    expect(metrics).toMatch(/^framebench_generator_frames_published_total 30$/m);
    expect(metrics).toMatch(/^framebench_generator_queue_depth 0$/m);
  }, 60_000);

  it('refuses requests beyond the queue limit with queue_full', async () => {
    const gw = await gateway('q-full', { maxQueue: 2 });
    // No generator reads this queue: two jobs wait in it, the third is refused.
    const clients = await Promise.all([1, 2, 3].map((i) => openStream(gw.url, gen(i, 5))));
    await waitFor(() => gw.stats().gateway.queueFull > 0, 5000, 'a refusal');
    await new Promise((r) => setTimeout(r, 200));
    const codes = clients.flatMap((c) => c.messages.filter((m) => m.type === 'error').map((m) => m.code));
    expect(codes).toEqual(['queue_full']);
    expect(gw.stats().gateway.queueFull).toBe(1);
    for (const c of clients) c.ws.terminate();
  }, 30_000);

  it('a gateway that dies loses exactly the frames that fell out of the replay window before the resume', async () => {
    const gw1 = await gateway('q-window');
    const gw2 = await gateway('q-window');
    await generator('q-window', 'raw', 5);
    const session = 'window';
    const a = await openStream(gw1.url, gen(6, 150, { session }));
    await waitFor(() => a.seqs.size >= 10, 20_000, '10 frames');
    await gw1.close({ graceful: false });
    await a.done;
    // 1 s away at 50 fps is 50 frames; the window keeps 5.
    await new Promise((r) => setTimeout(r, 1000));
    const lastSeq = a.lastSeq;
    const b = await openStream(gw2.url, { type: 'resume', session, requestId: 6, lastSeq }, a.seqs);
    const end = await b.done;
    b.ws.close();
    expect(end.type).toBe('done');
    const { fromSeq } = b.messages.find((m) => m.type === 'resumed') as { fromSeq: number };
    const lost = 150 - a.seqs.size;
    expect(lost).toBeGreaterThan(30);
    expect(lost).toBe(fromSeq - (lastSeq + 1));
    expect([...a.seqs].filter((s) => s > lastSeq && s < fromSeq)).toEqual([]);
  }, 60_000);

  it('a generator lost mid-stream is retried on another one, or fails the request when no retry is left', async () => {
    const patient = await gateway('q-retry', { generatorTimeoutMs: 400, maxRetries: 2 });
    const strict = await gateway('q-retry', { generatorTimeoutMs: 400, maxRetries: 0 });
    const first = await generator('q-retry', 'raw');
    const a = await openStream(patient.url, gen(1, 100));
    const b = await openStream(strict.url, gen(2, 100));
    await waitFor(() => a.seqs.size >= 5 && b.seqs.size >= 5, 20_000, 'frames on both');
    await first.close();
    await generator('q-retry', 'raw');
    const [endA, endB] = await Promise.all([a.done, b.done]);
    a.ws.close();
    b.ws.close();
    expect(endA.type).toBe('done');
    expect(a.seqs.size).toBe(100);
    expect(patient.stats().gateway.generatorRetries).toBe(1);
    expect(endB).toMatchObject({ type: 'error', code: 'generator_failed' });
    expect(b.seqs.size).toBeLessThan(100);
    expect(strict.stats().gateway.generatorFailures).toBe(1);
  }, 60_000);

  it('serves a gateway of its own: a bare job on a custom queue, frames on a custom channel template', async () => {
    const g = await startGenerator({ redisUrl, queue: 'jobs:video', channel: 'video:{requestId}', cacheDir: TEST_CACHE_DIR, pace: { firstFrameMeanMs: 10, firstFrameSdMs: 0 }, replayFrames: 0 });
    closers.push(() => g.close());
    const { Redis } = await import('ioredis');
    const sub = new Redis(redisUrl);
    const cmd = new Redis(redisUrl);
    try {
      const seqs: number[] = [];
      const texts: Array<{ type: string; frames?: number }> = [];
      const ended = new Promise<void>((resolve) => {
        sub.on('messageBuffer', (_ch: Buffer, m: Buffer) => {
          if (m[0] === 0x7b) {
            const j = JSON.parse(m.toString()) as { type: string; frames?: number };
            texts.push(j);
            if (j.type === 'end') resolve();
          } else seqs.push(m.readUInt32BE(8));
        });
      });
      await sub.subscribe('video:42');
      await cmd.lpush('jobs:video', JSON.stringify({ requestId: 42, format: 'jpeg', width: 640, height: 360, quality: 70, fps: 60, frames: 30 }));
      await ended;
      expect(seqs).toEqual([...Array(30).keys()]);
      expect(texts.map((t) => t.type)).toEqual(['start', 'end']);
      expect(texts[1]!.frames).toBe(30);
    } finally {
      sub.disconnect();
      cmd.disconnect();
    }
  }, 30_000);

  it('a gracefully stopped gateway leaves its stream resumable on another one', async () => {
    const gw1 = await gateway('q-handover');
    const gw2 = await gateway('q-handover');
    await generator('q-handover', 'raw');
    const session = 'handover';
    const a = await openStream(gw1.url, gen(5, 100, { session }));
    await waitFor(() => a.seqs.size >= 10, 20_000, '10 frames');
    const closed = new Promise<number>((r) => a.ws.once('close', (code: number) => r(code)));
    await gw1.close({ graceful: true });
    expect(await closed).toBe(1001);
    const b = await openStream(gw2.url, { type: 'resume', session, requestId: 5, lastSeq: a.lastSeq }, a.seqs);
    const end = await b.done;
    b.ws.close();
    expect(end.type).toBe('done');
    expect(a.seqs.size).toBe(100);
    expect(gw2.stats().resumes).toBe(1);
  }, 60_000);
});
