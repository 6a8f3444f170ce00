// Verdicts of `bench diff` on generated results: self-diff, A/A runs, real shifts, direction,
// absolute floors, counts, missing noise estimates, the every-repeat guard, and the CI gate.
import { describe, expect, it } from 'vitest';
import type { MetricDiff } from '../../src/diff/compare.js';
import { diffResults, gateFailures, type DiffReport } from '../../src/diff/diff.js';
import { defaultSettings, parseGate } from '../../src/diff/options.js';
import type { CellResult, Results } from '../../src/results/types.js';
import { buildDiffResults } from '../fixtures/diff-results.js';
import { buildSweepResults } from '../fixtures/results-sweep.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function diff(base: Results, head: Results): DiffReport {
  return diffResults({ file: 'base.json', results: base }, { file: 'head.json', results: head }, defaultSettings());
}

function metric(report: DiffReport, cellId: string, key: string): MetricDiff {
  const cell = report.cells.find((c) => c.pair.base.id === cellId);
  const m = cell?.metrics.find((d) => d.metric.key === key);
  if (!m) throw new Error(`no ${key} in ${cellId}`);
  return m;
}

const all = (report: DiffReport): MetricDiff[] => report.cells.flatMap((c) => c.metrics);
const slower = (factor: number) => (c: CellResult) => (c.id === 'webp-480p-b5' ? { latency: factor } : undefined);

describe('diffResults', () => {
  it('diffing a results file with itself: every verdict unchanged, no gate failure', () => {
    const results = buildDiffResults({ seed: 1 });
    const report = diff(results, results);
    expect(report.cells).toHaveLength(4);
    expect(all(report).every((d) => d.verdict === 'unchanged')).toBe(true);
    expect(report.tally).toMatchObject({ worse: 0, better: 0, noise: 0 });
    expect(report.tests).toBeGreaterThan(0);
    expect(report.warnings).toEqual([]);
    expect(gateFailures(report, parseGate({ failOn: 'any-worse' }))).toEqual([]);
  });

  it('two runs of the same code (different seeds): no verdict better or worse', () => {
    for (const [a, b] of [
      [1, 2],
      [2, 3],
      [3, 4],
      [5, 1],
    ] as const) {
      const report = diff(buildDiffResults({ seed: a }), buildDiffResults({ seed: b }));
      const moved = all(report).filter((d) => d.verdict === 'worse' || d.verdict === 'better');
      expect(moved.map((d) => `${d.metric.key} ${d.reason}`)).toEqual([]);
    }
  });

  it('30 % slower frames in one cell: p50 and p99 worse and significant, the gate fails', () => {
    const report = diff(buildDiffResults({ seed: 1 }), buildDiffResults({ seed: 2, shift: slower(1.3) }));
    for (const key of ['frame.p50', 'frame.p99']) {
      const d = metric(report, 'webp-480p-b5', key);
      expect(d.verdict).toBe('worse');
      expect(d.significant).toBe(true);
      expect(d.basis).toBe('window');
      expect(d.q).toBeLessThan(0.05);
      expect(d.change).toBeGreaterThan(0.2);
    }
    const p95 = metric(report, 'webp-480p-b5', 'frame.p95');
    expect(p95).toMatchObject({ verdict: 'worse', basis: 'repeat', significant: false, underpowered: true });
    expect(metric(report, 'jpeg-720p-b5', 'frame.p50').verdict).toBe('unchanged');
    const failures = gateFailures(report, parseGate({ failOn: 'worse' }));
    expect(failures.map((f) => f.diff.metric.key).sort()).toEqual(['frame.p50', 'frame.p99']);
    expect(gateFailures(report, parseGate({ maxRegression: ['frame.p99=50%'] }))).toEqual([]);
    expect(gateFailures(report, parseGate({ maxRegression: ['frame.p99=10%'] }))).toHaveLength(1);
    expect(gateFailures(report, parseGate({ maxRegression: ['frame.p50=100ms'] }))).toEqual([]);
  });

  it('faster frames are better; fewer frames/s is worse (direction matters)', () => {
    const faster = diff(buildDiffResults({ seed: 1 }), buildDiffResults({ seed: 2, shift: slower(0.7) }));
    expect(metric(faster, 'webp-480p-b5', 'frame.p50').verdict).toBe('better');
    const throughput = diff(buildDiffResults({ seed: 1 }), buildDiffResults({ seed: 2, shift: (c) => (c.id === 'jpeg-480p-b5' ? { fps: 0.8 } : { fps: 1.2 }) }));
    expect(metric(throughput, 'jpeg-480p-b5', 'throughput.framesPerSec')).toMatchObject({ verdict: 'worse', significant: true });
    expect(metric(throughput, 'webp-720p-b5', 'throughput.framesPerSec')).toMatchObject({ verdict: 'better', significant: false });
  });

  it('ignores a change below the absolute floor however large in percent (0.2 ms of 1 ms)', () => {
    const base = buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 });
    const head = clone(base);
    base.cells[0]!.latencyMs.frame.p50 = 1;
    head.cells[0]!.latencyMs.frame.p50 = 1.2;
    const d = metric(diff(base, head), base.cells[0]!.id, 'frame.p50');
    expect(d.change).toBeCloseTo(0.2, 9);
    expect(d.verdict).toBe('unchanged');
    expect(d.reason).toContain('floor 1 ms');
  });

  it('counts: 0 → 0 unchanged, 0 → N worse (fails --fail-on worse), N → 0 better', () => {
    const base = buildDiffResults({ seed: 1 });
    const head = buildDiffResults({ seed: 1, shift: (c) => (c.id === 'webp-480p-b5' ? { lost: 4, errors: 1 } : undefined) });
    const report = diff(base, head);
    expect(metric(report, 'jpeg-480p-b5', 'counts.framesLost').verdict).toBe('unchanged');
    expect(metric(report, 'webp-480p-b5', 'counts.framesLost')).toMatchObject({ verdict: 'worse', basis: 'count', significant: true, change: null });
    expect(metric(report, 'webp-480p-b5', 'counts.errors').verdict).toBe('worse');
    expect(gateFailures(report, parseGate({ failOn: 'worse' }))).toHaveLength(2);
    expect(metric(diff(head, base), 'webp-480p-b5', 'counts.framesLost').verdict).toBe('better');
  });

  it('without windows or repeats the verdict rests on the effect alone and does not fail --fail-on worse', () => {
    const base = buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 });
    base.cells[0]!.timeseries = [];
    const head = clone(base);
    head.cells[0]!.latencyMs.frame.p999 = base.cells[0]!.latencyMs.frame.p999 * 2;
    const report = diff(base, head);
    const d = metric(report, base.cells[0]!.id, 'frame.p999');
    expect(d).toMatchObject({ verdict: 'worse', basis: 'none', significant: false });
    expect(d.reason).toContain('no noise estimate');
    expect(gateFailures(report, parseGate({ failOn: 'worse' }))).toEqual([]);
    expect(gateFailures(report, parseGate({ failOn: 'any-worse' }))).toHaveLength(1);
    expect(gateFailures(report, parseGate({ maxRegression: ['frame.p999=50%'] }))).toHaveLength(1);
  });

  it('windows that separate while the repeats overlap are within noise (run-to-run guard)', () => {
    const base = buildDiffResults({ seed: 1 });
    const head = clone(base);
    const cell = head.cells[0]!;
    cell.timeseries = cell.timeseries.map((p) => ({ ...p, p50: p.p50 * 1.3 }));
    cell.latencyMs.frame.p50 *= 1.3;
    const d = metric(diff(base, head), cell.id, 'frame.p50');
    expect(d.q).toBeLessThan(0.05);
    expect(d.verdict).toBe('noise');
    expect(d.reason).toContain('not every repeat moved');
  });

  it('compares reconnect time only when both files have latencyMs.reconnect', () => {
    const base = buildDiffResults({ seed: 1 });
    expect(all(diff(base, base)).some((d) => d.metric.key === 'reconnect.p95')).toBe(false);
    const withReconnect = (r: Results, p95: number): Results => {
      const out = clone(r);
      for (const c of out.cells) (c.latencyMs as unknown as Record<string, unknown>).reconnect = { ...c.latencyMs.connect, p95 };
      return out;
    };
    const report = diff(withReconnect(base, 200), withReconnect(base, 400));
    expect(metric(report, 'webp-480p-b5', 'reconnect.p95')).toMatchObject({ verdict: 'worse', basis: 'none' });
  });
});

describe('browser viewers in a diff', () => {
  const summary = (p99: number) => ({ count: 400, min: 1, mean: p99 / 3, p50: p99 / 4, p90: p99 / 2, p95: p99 / 1.5, p99, p999: p99, max: p99 });
  const withBrowser = (r: Results, frameP99: number, dropped: number, freezes: number): Results => {
    const out = clone(r);
    for (const c of out.cells) {
      c.browser = {
        pages: 2,
        pagesReported: 2,
        streams: 4,
        connected: 4,
        measuredMs: 10_000,
        framesReceived: 400,
        bytesReceived: 4_000_000,
        framesDecoded: 400,
        framesPainted: 400 - dropped,
        dropped,
        droppedLate: dropped,
        droppedOverflow: 0,
        backlogDropped: 0,
        stalls: 0,
        stallMs: 0,
        stallRatio: 0,
        freezes,
        freezeMs: freezes * 200,
        longTasks: 0,
        longTaskMs: 0,
        decodeErrors: 0,
        socketErrors: 0,
        socketCloses: 0,
        serverErrors: 0,
        decode: summary(8),
        paint: summary(4),
        frame: summary(frameP99),
        errors: [],
      };
    }
    return out;
  };

  it('compares browser frame latency, drops and freezes when both files have viewers', () => {
    const base = buildDiffResults({ seed: 1 });
    expect(all(diff(base, base)).some((d) => d.metric.key.startsWith('browser.'))).toBe(false);
    const report = diff(withBrowser(base, 40, 0, 0), withBrowser(base, 90, 40, 3));
    expect(metric(report, 'webp-480p-b5', 'browser.frame.p99')).toMatchObject({ verdict: 'worse', base: 40, head: 90 });
    expect(metric(report, 'webp-480p-b5', 'browser.droppedRatio')).toMatchObject({ verdict: 'worse' });
    expect(metric(report, 'webp-480p-b5', 'browser.freezes')).toMatchObject({ verdict: 'worse', basis: 'count' });
    expect(metric(report, 'webp-480p-b5', 'browser.decode.p95').verdict).toBe('unchanged');
  });
});
