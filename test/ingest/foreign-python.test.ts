// --target with a `protocol.upload` adapter: a team's own ingestion server written in Python with
// `websockets` (test/fixtures/foreign/py_ingest_server.py, nothing from framebench, its own JSON:
// frame ids, capture time in seconds, a data URL, captions naming frame_ids, slow_down notices,
// discarded frames, pings). Accounting must be exact against what the server itself recorded.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { startForeign, SYSTEM_PYTHON, type ForeignServer } from '../foreign-servers.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

interface IngestRecord {
  connections: number;
  received: number;
  captioned: number;
  discarded: number;
  slowed: number;
  bad: number;
  captions: number;
  finished: number;
  lagMs: number[];
}

const TOKEN = 'sk-cam-5e1d9a77c03b42';
const protocol = {
  upgrade: { headers: { Authorization: `Bearer ${TOKEN}` }, query: { api_key: TOKEN } },
  upload: {
    frame: { template: { kind: 'image', frame_id: '${seq}', ts: '${capturedAtSec}', camera: 'lobby', image: 'data:image/${format};base64,${data}' } },
    end: { template: { kind: 'bye' } },
    answer: { match: { event: 'caption' }, ids: 'frame_ids', text: 'caption' },
    ack: 'none',
    dropped: { match: { event: 'discarded' }, ids: 'frame_ids', reason: 'why' },
    error: { match: { event: 'error' }, code: 'code', message: 'message' },
    limit: { match: { event: 'slow_down' }, id: 'frame_id', message: 'detail' },
    done: { match: { event: 'finished' } },
    ignore: [{ event: 'ping' }],
  },
};

let server: ForeignServer;
beforeAll(async () => {
  server = await startForeign(SYSTEM_PYTHON, ['py_ingest_server.py', '--port', '0', '--interval', '0.4', '--batch', '3', '--buffer', '4', '--max-fps', '4']);
});
afterAll(async () => {
  await server?.stop();
});

describe('upload cells against a Python ingestion server through protocol.upload', () => {
  it('frames reach it in its own shape; captions, slow-downs and discards are matched to frame ids exactly', async () => {
    const out = tempDir();
    const { results } = await runScenario(
      scenario({
        direction: 'upload',
        clients: 4,
        fps: 6,
        resolution: '360p',
        format: 'jpeg',
        transport: 'base64-json',
        corpusFrames: 5,
        rampUp: '0s',
        warmup: '0s',
        duration: '3s',
        drainTimeout: '5s',
        protocol,
        thresholds: { 'ingest.framesLost': '== 0' },
      }),
      { command: 'run', outDir: out, cacheDir: TEST_CACHE_DIR, target: server.url },
    );
    // the adapter's upgrade credentials reach the server but no output
    expect(JSON.stringify(results)).not.toContain(TOKEN);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(TOKEN);
    const cell = results.cells[0]!;
    const g = cell.ingest!;
    const rec = await server.record<IngestRecord>();
    expect(rec.bad).toBe(0);
    expect(rec.connections).toBe(4);
    expect(rec.finished).toBe(4);
    // every frame measured (no ramp-up or warm-up): the cameras' and the server's books agree exactly
    expect(g.accounting.sent).toBe(rec.received);
    expect(g.accounting.covered).toBe(rec.captioned);
    expect(g.accounting.dropped).toBe(rec.slowed + rec.discarded);
    expect(g.accounting.droppedByReason).toEqual({ ...(rec.slowed ? { rate_limited: rec.slowed } : {}), ...(rec.discarded ? { buffer_full: rec.discarded } : {}) });
    expect(g.accounting.lost).toBe(0);
    expect(g.accounting.sent).toBe(g.accounting.covered + g.accounting.dropped + g.accounting.lost);
    expect(g.accounting.balanced).toBe(true);
    // 6 fps against a 4 frames/s limit: told so, and counted
    expect(rec.slowed).toBeGreaterThan(0);
    expect(g.serverErrors.rate_limited).toBe(rec.slowed);
    expect(g.answers).toBe(rec.captions);
    expect(g.latencyMs.answerLag.count).toBe(g.accounting.covered);
    // pings are ignored, not unknown; the capture time went out in seconds (the server's own lag is sane)
    expect(cell.errorsByKind.unknown_message).toBeUndefined();
    const lag = [...rec.lagMs].sort((a, b) => a - b)[Math.floor(rec.lagMs.length / 2)]!;
    expect(lag).toBeGreaterThanOrEqual(-5);
    expect(lag).toBeLessThan(3000);
    // no stats endpoint: the server's view is absent, not zero
    expect(g.server).toBeUndefined();
    expect(cell.thresholds.every((t) => t.ok)).toBe(true);
  }, 60_000);

  it('a frame template without ${seq} is a scenario error naming the field', async () => {
    const bad = { upload: { frame: { template: { kind: 'image', image: '${data}' } } } };
    expect(() => scenario({ direction: 'upload', clients: 1, duration: '1s', protocol: bad })).toThrow(/protocol\.upload\.frame\.template: .*\$\{seq\}/);
  });
});
