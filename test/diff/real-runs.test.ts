// `bench diff` on real results: three runs of one scenario against one embedded server must not
// claim a significant change (no false alarm, checked on three pairs; the gate passes), and the same
// scenario against a server adding 20 ms per frame must be reported worse, significantly, exit 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headline } from '../../src/diff/describe.js';
import { diffResults, gateFailures } from '../../src/diff/diff.js';
import { defaultSettings, parseGate } from '../../src/diff/options.js';
import type { Results } from '../../src/results/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { runCli, scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const SCENARIO = {
  name: 'diff-noise',
  resolution: '360p',
  format: 'webp',
  fps: 30,
  framesPerRequest: 30,
  clients: 20,
  rampUp: '500ms',
  warmup: '500ms',
  duration: '2s',
  drainTimeout: '3s',
  repeat: 3,
};
const PREWARM = [{ format: 'webp' as const, width: 640, height: 360, quality: 75 }];

interface Run {
  file: string;
  results: Results;
}

async function run(target: string): Promise<Run> {
  const { file, results } = await runScenario(scenario(SCENARIO), { command: 'run', target, outDir: tempDir('fb-diff-run-'), cacheDir: TEST_CACHE_DIR });
  return { file, results };
}

function diff(a: Run, b: Run) {
  return diffResults(a, b, defaultSettings());
}

describe('bench diff on real runs', () => {
  let server: EmbeddedServer;
  let slow: EmbeddedServer;
  const same: Run[] = [];
  let delayed: Run;

  beforeAll(async () => {
    [server, slow] = await Promise.all([spawnEmbeddedServer({ cacheDir: TEST_CACHE_DIR, prewarm: PREWARM }), spawnEmbeddedServer({ delayMs: 20, cacheDir: TEST_CACHE_DIR, prewarm: PREWARM })]);
    for (let i = 0; i < 3; i++) same.push(await run(server.url));
    delayed = await run(slow.url);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), slow?.stop()]);
  });

  it('runs of the same scenario against the same server: no pair claims a significant change (3 pairs)', () => {
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [2, 0],
    ] as const) {
      const report = diff(same[a]!, same[b]!);
      expect(report.cells).toHaveLength(1);
      expect(report.cells[0]!.pair.base.repeats).toHaveLength(3);
      const moved = report.cells.flatMap((c) => c.metrics).filter((d) => d.verdict === 'worse' || d.verdict === 'better');
      const tested = moved.filter((d) => d.test !== undefined && d.q !== undefined && d.q < 0.05);
      expect(tested.map((d) => `run ${a} → ${b}: ${d.metric.key} ${d.base} → ${d.head}: ${d.reason}`)).toEqual([]);
      // A run slowed by other load on the machine may still show "worse (every repeat; too few to test)":
      // reported as an indication, never as a significant regression, and it does not fail the gate.
      for (const d of moved) expect(d.underpowered || d.basis === 'none').toBe(true);
      expect(headline(report).ok).toBe(true);
      expect(gateFailures(report, parseGate({ failOn: 'worse' }))).toEqual([]);
    }
  });

  it('the CLI with --fail-on worse exits 0 on two runs of the same code', async () => {
    const r = await runCli(['diff', same[0]!.file, same[1]!.file, '--fail-on', 'worse']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('gate: passed');
  });

  it('a server adding 20 ms per frame: frame latency worse and significant; --fail-on worse exits 1', async () => {
    const report = diff(same[0]!, delayed);
    const byKey = new Map(report.cells[0]!.metrics.map((d) => [d.metric.key, d]));
    const p50 = byKey.get('frame.p50')!;
    expect(p50.verdict, p50.reason).toBe('worse');
    expect(p50.significant).toBe(true);
    expect(p50.q).toBeLessThan(0.05);
    expect(p50.head - p50.base).toBeGreaterThan(15);
    // p99 too, unless the base run had bad seconds of its own (p99 windows of 20–60 ms): then within noise.
    const p99 = byKey.get('frame.p99')!;
    expect(['worse', 'noise'], p99.reason).toContain(p99.verdict);
    expect(p99.head).toBeGreaterThan(p99.base);
    expect(byKey.get('frame.p95')?.verdict).toBe('worse');
    expect(byKey.get('counts.framesLost')?.verdict).toBe('unchanged');

    const r = await runCli(['diff', same[0]!.file, delayed.file, '--fail-on', 'worse']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/frame latency p50 .* worse/);
    expect(r.stdout).toMatch(/✗ .*frame latency p50 .* fails --fail-on worse/);
  });
});
