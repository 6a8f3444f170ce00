// Cut is not lost: requests the harness stops mid-stream owe only their frames that were due; a
// server that stops sending mid-stream still shows its loss.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runScenario } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

// 100 frames at 10 fps take 10 s: every request (sent as its client connects, measured) is still
// streaming when the 2 s window ends.
const base = { resolution: '240p', format: 'webp', fps: 10, framesPerRequest: 100, rampUp: '0s', warmup: '0s', duration: '2s', drainTimeout: '500ms', corpusFrames: 12 };

describe('requests cut by the harness', () => {
  it('against the healthy embedded server: every request cut mid-stream, nothing lost, exact accounting', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 20 }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0 });
    const c = results.cells[0]!.counts;
    expect(c.requests).toBe(20);
    expect(c.requestsCompleted).toBe(0);
    expect(c.framesReceived).toBeGreaterThan(20 * 10 * 1.5);
    expect(c.framesExpected).toBeLessThan(20 * 100);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  });

  it('in client worker processes too', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 20 }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 2 });
    const c = results.cells[0]!.counts;
    expect(c.requestsCompleted).toBe(0);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  });
});

/**
 * A server written the way its authors would, with `ws` only: answers each generate request with
 * binary frames (32-byte header: magic, version, format, request id, seq, due time µs) at the
 * requested fps, but stops after `stopAfter` frames without a word.
 */
function stallingServer(stopAfter: number): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const timers = new Set<NodeJS.Timeout>();
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { type: string; requestId: number; fps: number };
      if (msg.type !== 'generate') return;
      const start = Date.now() * 1000;
      let seq = 0;
      const timer = setInterval(() => {
        if (seq >= stopAfter || ws.readyState !== ws.OPEN) return clearInterval(timer);
        const frame = Buffer.alloc(32 + 1000);
        frame.writeUInt16BE(0xfb42, 0);
        frame.writeUInt8(1, 2);
        frame.writeUInt8(1, 3);
        frame.writeUInt32BE(msg.requestId, 4);
        frame.writeUInt32BE(seq, 8);
        frame.writeDoubleBE(start + (seq * 1e6) / msg.fps, 12);
        frame.writeUInt32BE(1000, 24);
        ws.send(frame);
        seq++;
      }, 1000 / msg.fps);
      timers.add(timer);
    });
  });
  return new Promise((resolve) => {
    wss.once('listening', () => {
      const { port } = wss.address() as AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${port}/`,
        close: async () => {
          for (const t of timers) clearInterval(t);
          for (const c of wss.clients) c.terminate();
          await new Promise<void>((r) => wss.close(() => r()));
        },
      });
    });
  });
}

describe('a server that stops sending mid-stream', () => {
  let server: Awaited<ReturnType<typeof stallingServer>>;
  beforeAll(async () => {
    server = await stallingServer(5);
  });
  afterAll(() => server.close());

  it('still shows the frames that were due and never came as lost', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 10 }), { command: 'run', target: server.url, outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0 });
    const c = results.cells[0]!.counts;
    expect(c.requests).toBe(10);
    expect(c.framesReceived).toBe(10 * 5);
    // Each stream's frames 5.. were due from 0.5 s on; the window lasted 2 s: about 15 frames per stream lost.
    expect(c.framesLost).toBeGreaterThanOrEqual(10 * 12);
    expect(c.framesLost).toBeLessThanOrEqual(10 * 17);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  });
});
