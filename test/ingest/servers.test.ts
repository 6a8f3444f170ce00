// The ingestion server and the mock model API on their own, driven the way a camera written
// without framebench would (plain `ws`, JSON frames), on 127.0.0.1 with port 0.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startIngestServer, type IngestServer } from '../../src/ingest/ingest-server.js';
import { startModelApi, type ModelApi } from '../../src/ingest/model-api.js';
import { chatBody } from '../../src/ingest/model-client.js';

const JPEG_B64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]).toString('base64');
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function servers(ingest: Partial<Parameters<typeof startIngestServer>[0]>, api: Parameters<typeof startModelApi>[0] = {}): Promise<{ server: IngestServer; model: ModelApi }> {
  const model = await startModelApi({ baseMs: 5, perImageMs: 1, sigma: 0, ...api });
  open.push(model);
  const server = await startIngestServer({ modelUrl: model.url, intervalMs: 100, ...ingest });
  open.unshift(server);
  return { server, model };
}

function camera(url: string): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; waitFor(pred: (m: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Array<Record<string, unknown>> = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (d) => {
      messages.push(JSON.parse(d.toString()) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        waitFor: (pred, ms = 5000) =>
          new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`no matching message in ${ms} ms; got ${JSON.stringify(messages.map((m) => m.type))}`)), ms);
            const check = (): void => {
              const m = messages.find(pred);
              if (m) {
                clearTimeout(timer);
                res(m);
              } else waiters.push(check);
            };
            check();
          }),
      }),
    );
  });
}

const frame = (seq: number): string => JSON.stringify({ type: 'frame', seq, capturedAt: Date.now(), format: 'jpeg', data: JPEG_B64 });

describe('reference ingestion server', () => {
  it('answers carry the previous answers as context, bounded by contextChars', async () => {
    const { server } = await servers({ batchSize: 1, contextChars: 2000 });
    const cam = await camera(server.url);
    for (let seq = 0; seq < 3; seq++) {
      cam.ws.send(frame(seq));
      await cam.waitFor((m) => m.type === 'answer' && (m.seqs as number[]).includes(seq));
    }
    const answers = cam.messages.filter((m) => m.type === 'answer');
    expect(answers.map((a) => a.contextAnswers)).toEqual([0, 1, 2]);
    expect(answers[0]!.contextChars).toBe(0);
    expect(answers[2]!.contextChars).toBeGreaterThan(answers[1]!.contextChars as number);
    // the model saw them: the mock counts the "[answer N]" lines it was sent
    expect(answers[2]!.text).toMatch(/Context: 2 previous answer\(s\)/);
    expect(cam.messages.filter((m) => m.type === 'ack')).toHaveLength(3);
    cam.ws.close();
  });

  it('keeps the context within its character budget', async () => {
    const { server } = await servers({ batchSize: 1, contextChars: 80 });
    const cam = await camera(server.url);
    for (let seq = 0; seq < 4; seq++) {
      cam.ws.send(frame(seq));
      await cam.waitFor((m) => m.type === 'answer' && (m.seqs as number[]).includes(seq));
    }
    const answers = cam.messages.filter((m) => m.type === 'answer');
    expect(Math.max(...answers.map((a) => a.contextChars as number))).toBeLessThanOrEqual(80);
    expect(server.stats().contextCharsMax).toBeLessThanOrEqual(80);
    cam.ws.close();
  });

  it('rate limit and size limit are answered with a clear error and counted; end flushes and done reports the count', async () => {
    const { server } = await servers({ maxFps: 2, maxFrameBytes: 8, intervalMs: 60_000 });
    const cam = await camera(server.url);
    cam.ws.send(frame(0));
    const tooBig = await cam.waitFor((m) => m.type === 'error' && m.code === 'frame_too_large');
    expect(tooBig.message).toMatch(/at most 8/);
    const small = Buffer.from([0xff, 0xd8, 1, 2]).toString('base64');
    for (let seq = 1; seq <= 4; seq++) cam.ws.send(JSON.stringify({ type: 'frame', seq, capturedAt: Date.now(), data: small }));
    const limited = await cam.waitFor((m) => m.type === 'error' && m.code === 'rate_limited');
    expect(limited.message).toMatch(/more than 2 frames\/s/);
    cam.ws.send('{"type":"end"}');
    const done = await cam.waitFor((m) => m.type === 'done');
    const dropped = cam.messages.filter((m) => m.type === 'dropped').flatMap((m) => m.seqs as number[]);
    const covered = cam.messages.filter((m) => m.type === 'answer').flatMap((m) => m.seqs as number[]);
    expect([...dropped, ...covered].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(done).toMatchObject({ received: 5, covered: covered.length, dropped: dropped.length });
    const s = server.stats();
    expect(s.tooLarge).toBe(1);
    expect(s.rateLimited).toBe(dropped.length - 1);
    cam.ws.close();
  });

  it('a full buffer drops the oldest frame, tells the camera and counts it', async () => {
    const { server } = await servers({ bufferFrames: 2, intervalMs: 60_000, maxFps: 100 });
    const cam = await camera(server.url);
    for (let seq = 0; seq < 5; seq++) cam.ws.send(frame(seq));
    await cam.waitFor((m) => m.type === 'ack' && m.seq === 4);
    const dropped = cam.messages.filter((m) => m.type === 'dropped');
    expect(dropped.flatMap((m) => m.seqs as number[])).toEqual([0, 1, 2]);
    expect(dropped.every((m) => m.reason === 'buffer_overflow')).toBe(true);
    expect(server.stats()).toMatchObject({ bufferDepth: 2, bufferDepthMax: 2, framesDropped: 3 });
    cam.ws.close();
  });
});

describe('mock model API', () => {
  const body = chatBody({ model: 'm', prompt: 'p', context: '', images: [{ base64: JPEG_B64, mime: 'image/jpeg' }], maxTokens: 16 });
  const post = (url: string): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('enforces its request rate with 429 and Retry-After', async () => {
    const model = await startModelApi({ baseMs: 1, sigma: 0, rpm: 60 });
    open.push(model);
    const first = await post(model.url);
    expect(first.status).toBe(200);
    const second = await post(model.url);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(second.headers.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(model.stats()).toMatchObject({ requests: 2, answered: 1, rateLimited: 1 });
  });

  it('takes chaos orders: throttle then clear, fail', async () => {
    const model = await startModelApi({ baseMs: 1, sigma: 0 });
    open.push(model);
    const admin = model.url.replace('/v1/chat/completions', '/admin/chaos');
    const order = (o: unknown): Promise<Response> => fetch(admin, { method: 'POST', body: JSON.stringify(o) });
    expect((await order({ mode: 'throttle', durationMs: 10_000 })).status).toBe(200);
    expect((await post(model.url)).status).toBe(429);
    await order({ mode: 'clear' });
    expect((await post(model.url)).status).toBe(200);
    await order({ mode: 'fail', durationMs: 10_000, rate: 1 });
    expect((await post(model.url)).status).toBe(503);
    expect((await order({ mode: 'slow', durationMs: 1000, factor: 0.5 })).status).toBe(400);
    expect(model.stats()).toMatchObject({ throttled: 1, failed: 1, answered: 1 });
  });

  it('latency grows with the images it gets', async () => {
    const model = await startModelApi({ baseMs: 5, perImageMs: 40, sigma: 0 });
    open.push(model);
    const many = chatBody({ model: 'm', prompt: 'p', context: '', images: Array.from({ length: 5 }, () => ({ base64: JPEG_B64, mime: 'image/jpeg' })), maxTokens: 16 });
    let t = performance.now();
    await post(model.url);
    const one = performance.now() - t;
    t = performance.now();
    await fetch(model.url, { method: 'POST', body: many });
    const five = performance.now() - t;
    expect(five - one).toBeGreaterThan(100);
  });
});
