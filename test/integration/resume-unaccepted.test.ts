// A resume answered `unknown_request`: a request the server never accepted (no `generation`, no
// frame) is sent again and nothing of it is lost; one the server acknowledged and then forgot owes
// all its frames.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { runScenario } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

// Warm-up ends ~300 ms after the client connects and sends its first generate; the server forgets
// the first generate that reaches it 600 ms or more after that one (the third, ~1.1 s in): a
// measured request, whatever the timing.
const base = { clients: 1, resolution: '240p', format: 'webp', fps: 20, framesPerRequest: 10, rampUp: '0s', warmup: '300ms', duration: '1500ms', drainTimeout: '3s', corpusFrames: 12, reconnect: { base: '50ms', cap: '100ms' } };

/**
 * A server written the way its authors would, with `ws` only. It answers every generate with its
 * frames and `done`, except the first one to arrive FORGET_AFTER_MS or more after the first
 * generate: that one it acknowledges (or not), drops the connection, and then forgets (a resume
 * gets `unknown_request`).
 */
const FORGET_AFTER_MS = 600;

function forgetfulServer(acknowledgeFirst: boolean): Promise<{ url: string; generates: () => number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const timers = new Set<NodeJS.Timeout>();
  let generates = 0;
  let firstGenerateMs = 0;
  let forgotten = false;
  const stream = (ws: WebSocket, requestId: number, frames: number, fps: number): void => {
    const start = Date.now() * 1000;
    let seq = 0;
    const timer = setInterval(() => {
      if (ws.readyState !== ws.OPEN) return clearInterval(timer);
      if (seq >= frames) {
        clearInterval(timer);
        ws.send(JSON.stringify({ type: 'done', requestId, frames }));
        return;
      }
      const frame = Buffer.alloc(32 + 500);
      frame.writeUInt16BE(0xfb42, 0);
      frame.writeUInt8(1, 2);
      frame.writeUInt8(1, 3);
      frame.writeUInt32BE(requestId, 4);
      frame.writeUInt32BE(seq, 8);
      frame.writeDoubleBE(start + (seq * 1e6) / fps, 12);
      frame.writeUInt32BE(500, 24);
      ws.send(frame);
      seq++;
    }, 1000 / fps);
    timers.add(timer);
  };
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { type: string; requestId: number; fps: number; frames: number };
      if (msg.type === 'resume') {
        ws.send(JSON.stringify({ type: 'error', code: 'unknown_request', message: `request ${msg.requestId} is unknown`, requestId: msg.requestId }));
        return;
      }
      if (msg.type !== 'generate') return;
      if (generates++ === 0) firstGenerateMs = Date.now();
      if (!forgotten && Date.now() - firstGenerateMs >= FORGET_AFTER_MS) {
        forgotten = true;
        if (acknowledgeFirst) ws.send(JSON.stringify({ type: 'generation', requestId: msg.requestId, queueWaitUs: 100, worker: 'w1' }));
        setTimeout(() => ws.terminate(), 50);
        return;
      }
      stream(ws, msg.requestId, msg.frames, msg.fps);
    });
  });
  return new Promise((resolve) => {
    wss.once('listening', () => {
      const { port } = wss.address() as AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${port}/`,
        generates: () => generates,
        close: async () => {
          for (const t of timers) clearInterval(t);
          for (const c of wss.clients) c.terminate();
          await new Promise<void>((r) => wss.close(() => r()));
        },
      });
    });
  });
}

let server: Awaited<ReturnType<typeof forgetfulServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a resume answered unknown_request', () => {
  it('re-sends a request the server never accepted: nothing lost', async () => {
    server = await forgetfulServer(false);
    const { results } = await runScenario(scenario(base), { command: 'run', target: server.url, outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0 });
    const c = results.cells[0]!.counts;
    expect(c.reconnects).toBeGreaterThan(0);
    expect(server.generates()).toBeGreaterThan(1);
    expect(results.cells[0]!.errorsByKind.server_unknown_request).toBe(1);
    expect(c.framesReceived).toBeGreaterThanOrEqual(10);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  }, 30_000);

  it('counts a request the server acknowledged and then forgot as lost', async () => {
    server = await forgetfulServer(true);
    const { results } = await runScenario(scenario(base), { command: 'run', target: server.url, outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0 });
    const c = results.cells[0]!.counts;
    expect(c.reconnects).toBeGreaterThan(0);
    expect(results.cells[0]!.errorsByKind.server_unknown_request).toBe(1);
    expect(c.framesLost).toBe(10);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
  }, 30_000);
});
