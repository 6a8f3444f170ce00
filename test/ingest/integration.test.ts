// Upload direction end to end: cameras → the reference ingestion server → the mock model API, each
// a real process on 127.0.0.1 with port 0. Small and short (a few seconds, tens of cameras).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import type { CellResult } from '../../src/results/types.js';
import { resultsProblem } from '../../src/results/validate.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = {
  direction: 'upload',
  resolution: '360p',
  format: 'jpeg',
  transport: 'base64-json',
  corpusFrames: 10,
  rampUp: '300ms',
  warmup: '700ms',
  drainTimeout: '4s',
};

let lastOk: boolean | undefined;

async function run(fields: Record<string, unknown>): Promise<CellResult[]> {
  const { results } = await runScenario(scenario({ ...base, ...fields }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR });
  lastOk = results.ok;
  expect(resultsProblem(JSON.parse(JSON.stringify(results)))).toBeUndefined();
  return results.cells;
}

const balanced = (c: CellResult): void => {
  const a = c.ingest!.accounting;
  expect(a.sent).toBe(a.covered + a.dropped + a.lost);
  expect(a.balanced).toBe(true);
  expect(a.due).toBe(a.sent + a.unsent);
  expect(c.counts.framesExpected).toBe(c.counts.framesReceived + c.counts.framesLost);
};

describe('upload cells against the reference ingestion server and the mock model API', () => {
  it('a healthy run: every frame sent is answered for, exactly once, with context from previous answers', async () => {
    const [cell] = await run({
      clients: 20,
      fps: 2,
      duration: '3s',
      dispatchInterval: '500ms',
      batchSize: 4,
      ingest: { apiLatency: '40ms', contextChars: 300 },
      thresholds: { 'ingest.framesLost': '== 0', 'ingest.answerLag.p99': '< 5000' },
    });
    const g = cell!.ingest!;
    balanced(cell!);
    expect(g.accounting.sent).toBeGreaterThanOrEqual(20 * 2 * 3 - 20);
    expect(g.accounting.covered).toBe(g.accounting.sent);
    expect(g.accounting.dropped + g.accounting.lost + g.accounting.duplicates).toBe(0);
    expect(g.answers).toBeGreaterThan(0);
    expect(g.latencyMs.answerLag.count).toBe(g.accounting.covered);
    expect(g.latencyMs.answerLag.p50).toBeGreaterThan(40);
    expect(g.latencyMs.sendLateness.count).toBe(g.accounting.sent);
    expect(g.latencyMs.ack.count).toBe(g.accounting.sent);
    expect(g.batchSize.max).toBeLessThanOrEqual(4);
    // the server's view agrees: everything it received it answered (warm-up frames included)
    expect(g.server!.framesReceived).toBeGreaterThanOrEqual(g.accounting.sent);
    expect(g.server!.framesCovered).toBe(g.server!.framesReceived);
    expect(g.server!.api429).toBe(0);
    // temporal context: later requests carried previous answers, bounded by contextChars
    expect(g.contextChars.max).toBeGreaterThan(0);
    expect(g.server!.contextCharsMax).toBeLessThanOrEqual(300);
    expect(g.bandwidth.bytesPerSecPerClient).toBeGreaterThan(0);
    expect(cell!.thresholds.every((t) => t.ok)).toBe(true);
    expect(cell!.failures).toBeUndefined();
    expect(cell!.ok).toBe(true);
    expect(lastOk).toBe(true);
  });

  it('a throttled model API: 429s, retries, rising lag, a bounded buffer and counted drops', async () => {
    const [cell] = await run({
      clients: 8,
      fps: 4,
      duration: '5s',
      dispatchInterval: '250ms',
      batchSize: 2,
      ingest: { apiLatency: '20ms', bufferFrames: 4, retries: 3, retryBase: '100ms', retryCap: '400ms' },
      chaos: [{ kind: 'model-api', effect: 'throttle', at: '1s', duration: '3s' }],
    });
    const g = cell!.ingest!;
    balanced(cell!);
    expect(g.server!.api429).toBeGreaterThan(0);
    expect(g.server!.retries).toBeGreaterThan(0);
    expect(g.modelApi!.throttled).toBeGreaterThan(0);
    expect(g.server!.bufferDepthMax).toBeLessThanOrEqual(4);
    expect(g.accounting.dropped).toBeGreaterThan(0);
    expect((g.accounting.droppedByReason.buffer_overflow ?? 0) + (g.accounting.droppedByReason.model_failed ?? 0)).toBe(g.accounting.dropped);
    expect(g.server!.framesDropped).toBeGreaterThanOrEqual(g.accounting.dropped);
    const before = g.timeseries.filter((p) => p.t <= 1 && p.answersPerSec > 0).map((p) => p.lagP99);
    const during = g.timeseries.filter((p) => p.t > 1.5).map((p) => p.lagP99);
    expect(Math.max(...during)).toBeGreaterThan(Math.max(0, ...before) + 500);
    expect(g.timeseries.some((p) => (p.api429 ?? 0) > 0)).toBe(true);
    expect(cell!.events.some((e) => e.kind === 'model-api')).toBe(true);
    expect(g.recovery?.[0]?.kind).toBe('model-api');
  });

  it('a camera sending faster than the server allows is told so, and every such frame is counted', async () => {
    const [cell] = await run({ clients: 4, fps: 8, duration: '2s', dispatchInterval: '300ms', ingest: { apiLatency: '20ms', maxFps: 3 }, thresholds: { 'ingest.rateLimited': '== 0' } });
    const g = cell!.ingest!;
    balanced(cell!);
    expect(g.serverErrors.rate_limited).toBeGreaterThan(0);
    expect(g.accounting.droppedByReason.rate_limited).toBeGreaterThan(0);
    expect(g.server!.rateLimited).toBeGreaterThanOrEqual(g.accounting.droppedByReason.rate_limited!);
    expect(g.accounting.covered).toBeGreaterThan(0);
    expect(cell!.thresholds[0]).toMatchObject({ expr: 'ingest.rateLimited == 0', ok: false });
  });

  it('chaos: the ingestion server restarts and cameras are killed; accounting still balances', async () => {
    const [cell] = await run({
      clients: 10,
      fps: 2,
      duration: '5s',
      dispatchInterval: '400ms',
      transport: 'binary',
      reconnect: { base: '100ms', cap: '300ms' },
      ingest: { apiLatency: '20ms' },
      chaos: [
        { kind: 'kill-clients', at: '1s', fraction: 0.3 },
        { kind: 'restart-server', at: '2s', mode: 'kill', downtime: '300ms' },
      ],
    });
    const g = cell!.ingest!;
    balanced(cell!);
    expect(cell!.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['kill-clients', 'restart-server']));
    expect(cell!.counts.reconnects).toBeGreaterThan(0);
    expect(g.server!.restarts).toBeGreaterThanOrEqual(1);
    expect(g.accounting.covered).toBeGreaterThan(0);
    expect(g.recovery?.length).toBe(2);
  });

  it('fails closed: no answers is not a pass', async () => {
    const [cell] = await run({ clients: 2, fps: 2, duration: '1s', dispatchInterval: '200ms', drainTimeout: '1s', ingest: { modelUrl: 'http://127.0.0.1:9/v1/chat/completions', retries: 0 } });
    const g = cell!.ingest!;
    balanced(cell!);
    expect(g.answers).toBe(0);
    expect(cell!.failures?.[0]).toMatchObject({ kind: 'no_answers', reason: expect.stringMatching(/no answer came back/) });
    expect(cell!.ok).toBe(false);
    expect(lastOk).toBe(false);
  });
});
