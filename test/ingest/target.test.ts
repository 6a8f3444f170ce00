// --target: a team's own ingestion server, written as its authors would (plain `ws`, nothing from
// framebench, its own field names): it takes {"kind":"image","frame_id","ts","image":"data:…"},
// answers every 500 ms with {"kind":"result","frame_ids":[…]}, sends no acks and no drop notices,
// knows no end message, and has no stats endpoint. `ingest.wire` maps the names.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runScenario } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

let url = '';
let received = 0;
const http = createServer();
const wss = new WebSocketServer({ server: http });
wss.on('connection', (ws) => {
  let pending: number[] = [];
  let n = 0;
  const timer = setInterval(() => {
    if (pending.length === 0) return;
    ws.send(JSON.stringify({ kind: 'result', frame_ids: pending, description: `answer ${++n}: ${pending.length} frames` }));
    pending = [];
  }, 500);
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { kind: string; frame_id?: number; image?: string; camera?: string };
    if (msg.kind === 'image' && typeof msg.frame_id === 'number' && msg.image?.startsWith('data:image/jpeg;base64,') && msg.camera === 'lobby') {
      received++;
      pending.push(msg.frame_id);
    }
  });
  ws.on('close', () => clearInterval(timer));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ingest`;
});
afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => http.close(r));
});

describe('upload cells against a foreign ingestion server (--target)', () => {
  it('answers are matched to the frames they name; what the server cannot tell is not measured', async () => {
    const { results } = await runScenario(
      scenario({
        direction: 'upload',
        clients: 6,
        fps: 4,
        duration: '2s',
        rampUp: '200ms',
        warmup: '500ms',
        drainTimeout: '3s',
        resolution: '360p',
        format: 'jpeg',
        transport: 'base64-json',
        corpusFrames: 10,
        ingest: {
          wire: {
            typeField: 'kind',
            frameType: 'image',
            seqField: 'frame_id',
            capturedAtField: 'ts',
            dataField: 'image',
            dataPrefix: 'data:image/jpeg;base64,',
            extra: { camera: 'lobby' },
            end: null,
            answerType: 'result',
            answerSeqsField: 'frame_ids',
          },
        },
        thresholds: { 'ingest.framesLost': '== 0', 'ingest.api429': '== 0' },
      }),
      { command: 'run', target: url, outDir: tempDir(), cacheDir: TEST_CACHE_DIR },
    );
    const [cell] = results.cells;
    const g = cell!.ingest!;
    expect(results.environment.embeddedServer).toBe(false);
    expect(g.accounting.sent).toBeGreaterThan(6 * 4 * 2 - 12);
    // the end message tells it nothing, so it answers on its own timer; every frame still gets covered within the drain
    expect(g.accounting.covered).toBe(g.accounting.sent);
    expect(g.accounting.balanced).toBe(true);
    expect(received).toBeGreaterThanOrEqual(g.accounting.sent);
    expect(g.acks).toBe(0);
    expect(g.latencyMs.ack.count).toBe(0);
    expect(g.server).toBeUndefined();
    expect(g.latencyMs.answerLag.p50).toBeGreaterThan(0);
    expect(cell!.thresholds).toMatchObject([
      { expr: 'ingest.framesLost == 0', ok: true, value: 0, status: 'pass' },
      { expr: 'ingest.api429 == 0', ok: false, value: null, status: 'not_measured' },
    ]);
    expect(results.ok).toBe(false);
  });

  it('a target nobody listens on is a setup error (exit 3), not a failed cell', async () => {
    const run = runScenario(scenario({ direction: 'upload', clients: 2, fps: 2, duration: '1s', rampUp: '0s', warmup: '0s', drainTimeout: '1s', resolution: '360p', format: 'jpeg', corpusFrames: 10 }), {
      command: 'run',
      target: 'ws://127.0.0.1:1/',
      outDir: tempDir(),
      cacheDir: TEST_CACHE_DIR,
    });
    await expect(run).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/no camera could connect to ws:\/\/127\.0\.0\.1:1\/ \(connect_ECONNREFUSED/) });
  });
});
