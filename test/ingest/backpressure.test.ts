// A server that stops reading: the camera's socket fills, bufferedAmount goes over its cap, and the
// camera waits — the slow server shows as send lateness (frames sent late, none skipped), not as
// frames piling up in the camera's memory. The server is plain `ws` and pauses its reads for 2 s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { UploadPool } from '../../src/ingest/upload-pool.js';
import { JsonFrameTemplate } from '../../src/ingest/wire.js';

let url = '';
let maxBuffered = 0;
const http = createServer();
const wss = new WebSocketServer({ server: http, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => {
  let seen = 0;
  ws.on('message', () => {
    seen++;
    if (seen === 3) {
      ws.pause();
      setTimeout(() => ws.resume(), 2000);
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => http.close(r));
});

describe('camera backpressure', () => {
  it('a server that stops reading shows as send lateness; the camera holds at most its cap', async () => {
    const image = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    const cap = 2 * 1024 * 1024;
    const pool = new UploadPool({
      url,
      clients: 1,
      fps: 5,
      binary: false,
      templates: [new JsonFrameTemplate(image, 'jpeg', 1920, 1080)],
      rampUpMs: 0,
      warmupMs: 0,
      durationMs: 4000,
      drainTimeoutMs: 500,
      maxBufferedBytes: cap,
      maxBacklog: 60,
      reconnect: { enabled: false, baseMs: 100, capMs: 1000, maxAttempts: 0, resume: false },
      seed: 1,
    });
    const probe = setInterval(() => {
      for (const c of (pool as unknown as { clients: Array<{ ws?: { bufferedAmount: number } }> }).clients) maxBuffered = Math.max(maxBuffered, c.ws?.bufferedAmount ?? 0);
    }, 5);
    const snap = await pool.run();
    clearInterval(probe);
    const a = snap.accounting;
    expect(a.due).toBeGreaterThanOrEqual(19);
    expect(a.unsent).toBe(0);
    expect(a.sent).toBe(a.due);
    expect(snap.latencyMs.sendLateness.max).toBeGreaterThan(500);
    // bufferedAmount never grows past the cap by more than the one frame sent just under it
    expect(maxBuffered).toBeLessThanOrEqual(cap + 4.5 * 1024 * 1024);
    expect(maxBuffered).toBeGreaterThan(0);
  });
});
