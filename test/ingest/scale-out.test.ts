// Upload cells beyond one process and one run: cameras in worker processes (merged exactly),
// repeats of a cell merged into one, and a soak whose cameras follow stages with answer-lag drift.
// Real processes on 127.0.0.1, port 0; a few seconds each.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { runSoak } from '../../src/runner/run-soak.js';
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
  dispatchInterval: '500ms',
  batchSize: 4,
  ingest: { apiLatency: '40ms' },
};

const balanced = (c: CellResult): void => {
  const a = c.ingest!.accounting;
  expect(a.sent).toBe(a.covered + a.dropped + a.lost);
  expect(a.balanced).toBe(true);
  expect(a.due).toBe(a.sent + a.unsent);
  expect(c.counts.framesExpected).toBe(c.counts.framesReceived + c.counts.framesLost);
};

describe('upload cells in worker processes, repeated, and soaked', () => {
  it('--workers 2: two camera processes, merged exactly (sent = covered + dropped + lost), the server seen once', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 12, fps: 2, duration: '3s' }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 2 });
    expect(resultsProblem(JSON.parse(JSON.stringify(results)))).toBeUndefined();
    const cell = results.cells[0]!;
    const g = cell.ingest!;
    balanced(cell);
    expect(cell.harness?.workers).toBe(2);
    expect(cell.counts.connects).toBe(12);
    expect(g.accounting.sent).toBeGreaterThanOrEqual(12 * 2 * 3 - 12);
    expect(g.accounting.covered).toBe(g.accounting.sent);
    expect(g.latencyMs.answerLag.count).toBe(g.accounting.covered);
    expect(g.latencyMs.sendLateness.count).toBe(g.accounting.sent);
    expect(g.server!.framesCovered).toBeGreaterThanOrEqual(g.accounting.covered);
    // one merged window per second, with the server's buffer depth laid over it
    expect(g.timeseries.length).toBeGreaterThanOrEqual(2);
    expect(g.timeseries.some((p) => p.bufferDepth !== undefined)).toBe(true);
    const sentInWindows = g.timeseries.reduce((n, p) => n + p.sentPerSec, 0);
    expect(sentInWindows).toBeGreaterThan(g.accounting.sent * 0.5);
    expect(results.ok).toBe(true);
  }, 60_000);

  it('repeat: 2 runs the cell twice and merges both runs into one cell exactly', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 6, fps: 2, duration: '2s', repeat: 2, thresholds: { 'ingest.framesLost': '== 0' } }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR });
    expect(resultsProblem(JSON.parse(JSON.stringify(results)))).toBeUndefined();
    expect(results.cells).toHaveLength(1);
    const cell = results.cells[0]!;
    expect(cell.repeats).toHaveLength(2);
    balanced(cell);
    const parts = cell.repeats!.map((r) => r.ingest!.accounting);
    expect(cell.ingest!.accounting.sent).toBe(parts[0]!.sent + parts[1]!.sent);
    expect(cell.ingest!.accounting.covered).toBe(parts[0]!.covered + parts[1]!.covered);
    expect(cell.ingest!.latencyMs.answerLag.count).toBe(cell.ingest!.accounting.covered);
    expect(cell.ingest!.answers).toBe(cell.repeats!.reduce((n, r) => n + r.ingest!.answers, 0));
    // the second run's windows follow the first's on one time axis
    const ts = cell.ingest!.timeseries.map((p) => p.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(cell.thresholds.every((t) => t.ok)).toBe(true);
  }, 60_000);

  it('bench soak: cameras follow the stages (ramp, hold, ramp down), nothing cut is lost, answer lag drift is analysed', async () => {
    const stages = [
      { duration: '1s', target: 8 },
      { duration: '4s', target: 8 },
      { duration: '1s', target: 3 },
      { duration: '1s', target: 3 },
    ];
    const loaded = scenario({ ...base, clients: 8, fps: 2, stages });
    const out = await runSoak(loaded, { command: 'soak', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, shape: { multiplier: 1 } });
    const cell = out.results.cells[0]!;
    balanced(cell);
    const g = cell.ingest!;
    expect(g.accounting.lost).toBe(0);
    expect(g.accounting.unsent).toBe(0);
    expect(g.accounting.covered).toBe(g.accounting.sent);
    // every camera connected; the ramp down parked five of them: the last windows sent at 3 cameras × 2 fps
    expect(cell.counts.connects).toBe(8);
    const sent = g.timeseries.map((p) => p.sentPerSec);
    expect(Math.max(...sent)).toBeGreaterThan(12);
    expect(sent.at(-1)!).toBeLessThanOrEqual(8);
    expect(out.soak.holdWindow).toEqual({ fromSec: 1, toSec: 5 });
    expect(out.soak.drift?.metrics.some((m) => m.metric === 'frame.p99')).toBe(true);
  }, 90_000);
});
