// connection: per-request for the WebSocket transports: a new WebSocket per generate request, behind
// the chaos proxy's latency so the handshake's round trips show in time to first frame.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import type { CellResult } from '../../src/results/types.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { transportRows } from '../../src/report/transport-rows.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const LATENCY_MS = 40;

describe('connection: per-request over WebSocket, behind a latency proxy', () => {
  let server: EmbeddedServer;
  let cells: CellResult[];
  let summary: string;
  let rows: ReturnType<typeof transportRows>;
  beforeAll(async () => {
    server = await spawnEmbeddedServer({ cacheDir: TEST_CACHE_DIR, prewarm: [{ format: 'webp', width: 854, height: 480, quality: 75 }] });
    const outDir = tempDir();
    const { results } = await runScenario(
      scenario({
        resolution: '480p',
        format: 'webp',
        fps: 30,
        framesPerRequest: 6,
        clients: 3,
        rampUp: '200ms',
        warmup: '500ms',
        duration: '2500ms',
        drainTimeout: '3s',
        chaos: [{ kind: 'network', at: '0s', latency: `${LATENCY_MS}ms` }],
        sweep: { transport: ['binary', 'base64-json'], connection: ['reuse', 'per-request'] },
      }),
      { command: 'run', target: server.url, outDir, cacheDir: TEST_CACHE_DIR },
    );
    cells = results.cells;
    rows = transportRows(results);
    summary = renderMarkdown(results);
  }, 120_000);
  afterAll(() => server.stop());

  const cell = (transport: string, connection: string): CellResult => cells.find((c) => c.params.transport === transport && c.params.connection === connection)!;

  it.each(['binary', 'base64-json'])('%s: every measured request on its own connection, accounting exact, no reconnects, no errors', (t) => {
    const reuse = cell(t, 'reuse').counts;
    const per = cell(t, 'per-request').counts;
    expect(reuse.connects).toBe(3);
    expect(per.connects).toBeGreaterThanOrEqual(per.requests);
    expect(per.requests).toBeGreaterThan(3);
    for (const c of [reuse, per]) {
      expect(c.errors).toBe(0);
      expect(c.reconnects).toBe(0);
      expect(c.framesLost).toBe(0);
      expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
      expect(c.framesExpected).toBe(c.requests * 6);
      expect(c.requestsCompleted).toBe(c.requests);
    }
    expect(cell(t, 'per-request').ok).toBe(true);
    expect(cell(t, 'per-request').latencyMs.firstFrame.count).toBe(per.requests);
  });

  it.each(['binary', 'base64-json'])('%s: time to first frame is higher with per-request by about the handshake round trip', (t) => {
    const reuse = cell(t, 'reuse').latencyMs;
    const per = cell(t, 'per-request').latencyMs;
    // reuse: request up + frame down (2 × latency); per-request adds the upgrade request and its answer
    expect(reuse.firstFrame.p50).toBeGreaterThan(1.5 * LATENCY_MS);
    expect(per.connect.p50).toBeGreaterThan(1.5 * LATENCY_MS);
    expect(per.firstFrame.p50).toBeGreaterThan(reuse.firstFrame.p50 + LATENCY_MS);
  });

  it('the transport comparison shows connects per request and the first-frame cost', () => {
    const bin = rows.filter((r) => r.transport === 'binary');
    expect(bin.map((r) => r.connection)).toEqual(['reuse', 'per-request']);
    expect(bin[0]!.connectsPerRequest).toBeLessThan(1);
    expect(bin[1]!.connectsPerRequest).toBeGreaterThanOrEqual(1);
    expect(bin[1]!.firstFrameP99).toBeGreaterThan(bin[0]!.firstFrameP99);
    expect(summary).toContain('#### Transports');
    expect(summary).toMatch(/\| transport \| connection \|/);
    expect(summary).toMatch(/\| binary \| per-request \|/);
  });
});
