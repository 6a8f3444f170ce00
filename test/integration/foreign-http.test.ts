// framebench against SSE and polling servers it did not write (plain Node `http`, Python's
// http.server), described by the shipped `protocol:` blocks: every frame accounted against what
// the servers recorded, and a block that does not fit fails closed naming the field to fix.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/results/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { SYSTEM_PYTHON, startForeign, type ForeignServer } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, tempDir } from '../helpers.js';

let jpeg = '';
let jpegBytes = 0;
let sse: ForeignServer;
let poll: ForeignServer;
let gone: ForeignServer;

beforeAll(async () => {
  jpeg = join(tempDir('fb-http-frame-'), 'frame.jpg');
  const info = await sharp({ create: { width: 854, height: 480, channels: 3, background: { r: 200, g: 120, b: 90 }, noise: { type: 'gaussian', mean: 128, sigma: 10 } } })
    .jpeg({ quality: 75 })
    .toFile(jpeg);
  jpegBytes = info.size;
  [sse, poll, gone] = await Promise.all([
    startForeign(process.execPath, ['sse-frames-server.mjs', '--port', '0', '--jpeg', jpeg]),
    startForeign(SYSTEM_PYTHON, ['py_poll_server.py', '--port', '0', '--jpeg', jpeg]),
    startForeign(SYSTEM_PYTHON, ['py_poll_server.py', '--port', '0', '--jpeg', jpeg, '--gone-when-complete']),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([sse?.stop(), poll?.stop(), gone?.stop()]);
});

const FAST = ['clients=3', 'duration=2500ms', 'warmup=500ms', 'rampUp=200ms', 'fps=20', 'framesPerRequest=8'];

async function run(file: string, target: string, sets: string[] = []): Promise<CellResult> {
  const loaded = await loadScenario(join(ROOT, 'scenarios', 'protocols', file), [...FAST, ...sets].map(parseOverride));
  const { results } = await runScenario(loaded, { command: 'run', target, outDir: tempDir('fb-http-run-'), cacheDir: TEST_CACHE_DIR });
  return results.cells[0]!;
}

function exact(cell: CellResult): void {
  const c = cell.counts;
  expect(c.errors).toBe(0);
  expect(c.framesLost).toBe(0);
  expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  expect(c.framesExpected).toBe(c.requests * 8);
  expect(c.requestsCompleted).toBe(c.requests);
  expect(c.requests).toBeGreaterThan(3);
  // the servers' timestamps give frame latency; the image bytes are the JPEG's
  expect(cell.latencyMs.frame.count).toBe(cell.latencyMs.lateness.count);
  expect(cell.latencyMs.frame.count).toBeGreaterThan(0);
  expect(cell.latencyMs.firstFrame.count).toBe(c.requests);
  // arrival-time metrics per stream: time to done and delivered fps (20 fps asked)
  expect(cell.latencyMs.timeToDone!.count).toBe(c.requests);
  expect(cell.latencyMs.timeToDone!.p50).toBeGreaterThan((7 / 20) * 1000 * 0.9);
  expect(cell.ok).toBe(true);
}

describe('SSE server (Node http): POST starts a job, `event: image` frames, `event: finished`', () => {
  it('every frame accounted; the server sent every frame received, and bytes per frame are base64 in SSE', async () => {
    const before = (await sse.record<{ framesSent: number }>()).framesSent;
    const cell = await run('sse-events.yaml', sse.url);
    exact(cell);
    const rec = await sse.record<{ framesSent: number; streams: number; jobs: Array<{ sent: number }> }>();
    // unmeasured warm-up streams were received too; every frame the server sent reached a client
    expect(rec.framesSent - before).toBeGreaterThanOrEqual(cell.counts.framesReceived);
    // base64 in JSON in SSE events: about 4/3 the image, plus the event's fields
    const perFrame = cell.throughput.bytesPerFrame;
    expect(perFrame / jpegBytes).toBeGreaterThan(1.3);
    expect(perFrame / jpegBytes).toBeLessThan(1.5);
  }, 60_000);

  it('fails closed naming protocol.sse.event when the events carry another name', async () => {
    const cell = await run('sse-events.yaml', sse.url, ['protocol.sse.event=frame']);
    expect(cell.ok).toBe(false);
    expect(cell.counts.framesReceived).toBe(0);
    const reasons = (cell.failures ?? []).map((f) => f.reason).join('\n');
    expect(reasons).toMatch(/protocol\.sse\.event/);
    expect(reasons).toMatch(/image×\d+/);
  }, 60_000);
});

describe('polling server (Python http.server): POST creates a stream, GET …/frame?after=SEQ', () => {
  it.each(['http-poll', 'http-longpoll'] as const)(
    '%s: every frame accounted, requests per frame counted',
    async (t) => {
      const sets = t === 'http-longpoll' ? ['transport=http-longpoll', 'protocol.poll.url=/api/streams/${streamId}/frame?after=${seq}&wait=2'] : [];
      const cell = await run('http-polling.yaml', poll.url, sets);
      exact(cell);
      // one poll per frame at least, plus the start request and the final `complete` answer
      expect(cell.counts.httpRequests!).toBeGreaterThanOrEqual(cell.counts.framesReceived + 2 * cell.counts.requests);
      if (t === 'http-longpoll') expect(cell.requestsPerFrame!).toBeLessThan(1.6);
      else expect(cell.requestsPerFrame!).toBeGreaterThan(1.2);
    },
    60_000,
  );

  it('ends a stream by a done status (poll.done: 410) or by the frame count (end.frames), accounting exact', async () => {
    // this server never sends the complete JSON: the done matcher never matches, 410 Gone ends the stream
    const byStatus = await run('http-polling.yaml', gone.url, ['protocol.done.match.status=never_sent']);
    exact(byStatus);
    expect(byStatus.counts.httpRequests!).toBeGreaterThanOrEqual(byStatus.counts.framesReceived + 2 * byStatus.counts.requests);
    // end.frames: the 8th frame ends the request; the answer after it is never asked for
    const before = (await poll.record<{ completeAnswers: number }>()).completeAnswers;
    const byCount = await run('http-polling.yaml', poll.url, ['protocol.end.frames=true']);
    exact(byCount);
    expect((await poll.record<{ completeAnswers: number }>()).completeAnswers).toBe(before);
  }, 90_000);

  it('fails closed naming protocol.frames.json.data when the payload is elsewhere', async () => {
    const cell = await run('http-polling.yaml', poll.url, ['protocol.frames.json.data=image']);
    expect(cell.ok).toBe(false);
    expect(cell.counts.framesReceived).toBe(0);
    expect((cell.failures ?? []).map((f) => f.reason).join('\n')).toMatch(/protocol\.frames\.json\.data/);
  }, 60_000);

  it('fails closed naming protocol.poll.url when the poll URL is wrong', async () => {
    const cell = await run('http-polling.yaml', poll.url, ['protocol.poll.url=/api/stream/${streamId}/next?after=${seq}']);
    expect(cell.ok).toBe(false);
    expect(cell.counts.framesReceived).toBe(0);
    expect((cell.failures ?? []).map((f) => f.reason).join('\n')).toMatch(/poll_http_404×\d+.*protocol\.poll\.url/);
  }, 60_000);
});

describe('setup errors name the missing protocol field', () => {
  it('transport sse with a declarative block without sse:', async () => {
    await expect(run('http-polling.yaml', poll.url, ['transport=sse'])).rejects.toThrow(/protocol\.sse/);
  });
});
