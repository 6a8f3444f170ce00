// Drift analysis on synthetic hold phases: flat + noise is stable, a linear rise drifts by the
// right percentage, chaos spikes do not make a trend, too little data is insufficient-data.
import { describe, expect, it } from 'vitest';
import { analyzeDrift, counterRate } from '../../src/soak/drift.js';
import { pctText, slopeText, spanText } from '../../src/soak/drift-text.js';
import { bucketPairs, mannKendallZ, median, theilSen } from '../../src/soak/stats.js';
import type { DriftReport } from '../../src/results/types.js';
import { holdPoints, rng, scrapeResult } from './synthetic.js';

const metric = (report: DriftReport, name: string) => {
  const m = report.metrics.find((x) => x.metric === name);
  if (!m) throw new Error(`no ${name}`);
  return m;
};

describe('statistics', () => {
  it('Theil–Sen recovers a line and ignores a few outliers', () => {
    const pairs: Array<[number, number]> = Array.from({ length: 50 }, (_, i) => [i, 3 + 2 * i]);
    expect(theilSen(pairs)).toEqual({ slope: 2, intercept: 3 });
    pairs[10] = [10, 1e6];
    pairs[30] = [30, -1e6];
    const fit = theilSen(pairs);
    expect(fit.slope).toBeCloseTo(2, 6);
    expect(fit.intercept).toBeCloseTo(3, 6);
  });

  it('Mann–Kendall z is large for a monotonic series, near zero for noise, 0 for constants', () => {
    expect(mannKendallZ(Array.from({ length: 40 }, (_, i) => i))).toBeGreaterThan(8);
    expect(mannKendallZ(Array.from({ length: 40 }, (_, i) => -i))).toBeLessThan(-8);
    const r = rng(3);
    expect(Math.abs(mannKendallZ(Array.from({ length: 200 }, () => r())))).toBeLessThan(1.96);
    expect(mannKendallZ([5, 5, 5, 5, 5])).toBe(0);
  });

  it('median and bucketing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const pairs: Array<[number, number]> = Array.from({ length: 1000 }, (_, i) => [i, i % 2]);
    const b = bucketPairs(pairs, 100);
    expect(b.length).toBeLessThanOrEqual(100);
    expect(b.length).toBeGreaterThan(90);
    expect(bucketPairs(pairs.slice(0, 10), 100)).toHaveLength(10);
  });
});

describe('analyzeDrift', () => {
  it('flat + noise: every metric stable, overall stable', () => {
    const report = analyzeDrift(holdPoints({ noise: 0.05, seed: 11 }), [scrapeResult({ seed: 5 })]);
    expect(report.window).toEqual({ fromSec: 600, toSec: 7800 });
    expect(report.edgeSec).toBe(720);
    for (const m of report.metrics) {
      expect(m.verdict, `${m.metric}: ${m.sentence}`).toBe('stable');
      expect(Math.abs(m.changePct)).toBeLessThan(5);
    }
    expect(report.verdict).toBe('stable');
    expect(metric(report, 'frame.p99').sentence).toMatch(/^p99 frame latency was stable: [+−±][\d.]+ % from the first to the last 12 minutes$/);
  });

  it('linear rise of p99: drifting with the change of the first vs last 10 % medians', () => {
    const report = analyzeDrift(holdPoints({ p99: (f) => 100 + 40 * f, noise: 0.02 }), []);
    const p99 = metric(report, 'frame.p99');
    expect(p99.verdict).toBe('drifting');
    expect(p99.first).toBeCloseTo(102, 0);
    expect(p99.last).toBeCloseTo(138, 0);
    expect(p99.changePct).toBeGreaterThan(33);
    expect(p99.changePct).toBeLessThan(37.5);
    expect(p99.slopePerHour).toBeCloseTo(20, 0);
    expect(p99.trend.slope * 3600).toBeCloseTo(p99.slopePerHour, 9);
    expect(p99.trend.intercept + p99.trend.slope * 7800).toBeCloseTo(140, -0.5);
    expect(p99.sentence).toBe(`p99 frame latency rose ${Math.round(p99.changePct)} % from the first to the last 12 minutes`);
    expect(metric(report, 'frame.p50').verdict).toBe('stable');
    expect(report.verdict).toBe('drifting');
  });

  it('falling frames/s says "fell"; memory slope is in MB per hour', () => {
    const report = analyzeDrift(holdPoints({ fps: (f) => 36_000 * (1 - 0.25 * f) }), [scrapeResult({ mbPerHour: 60 })], { window: { fromSec: 600, toSec: 7800 } });
    const fps = metric(report, 'framesPerSec');
    expect(fps.verdict).toBe('drifting');
    expect(fps.sentence).toMatch(/^frames\/s fell 2\d % from the first to the last 12 minutes$/);
    const mem = metric(report, 'target.memory');
    expect(mem.unit).toBe('MB');
    expect(mem.slopePerHour).toBeGreaterThan(57);
    expect(mem.slopePerHour).toBeLessThan(63);
    expect(mem.source).toBe('https://staging.example/metrics process_resident_memory_bytes');
    expect(mem.verdict).toBe('drifting');
    expect(mem.sentence).toMatch(/^target memory rose \d+ % from the first to the last 12 minutes \(\+\d+(\.\d)? MB\/h\)$/);
    expect(metric(report, 'target.eventLoopLag').unit).toBe('ms');
  });

  it('chaos spikes (a few huge p99 windows) do not make a stable series drift', () => {
    const points = holdPoints({ seed: 4 });
    for (const i of [600, 650, 700, 710]) points[i]!.p99 = 5000;
    const p99 = metric(analyzeDrift(points, []), 'frame.p99');
    expect(p99.verdict).toBe('stable');
    expect(Math.abs(p99.slopePerHour)).toBeLessThan(2);
  });

  it('a big first/last difference without a consistent trend stays stable and says so', () => {
    const points = holdPoints({ p99: (f) => (f < 0.1 ? 100 : f > 0.9 ? 120 : 140 - 40 * f), noise: 0.01 });
    const p99 = metric(analyzeDrift(points, []), 'frame.p99');
    expect(p99.changePct).toBeGreaterThan(15);
    expect(p99.verdict).toBe('stable');
    expect(p99.sentence).toContain('without a consistent trend');
  });

  it('too few points or an empty hold: insufficient-data', () => {
    const few = analyzeDrift(holdPoints({ seconds: 50, stepSec: 10 }), []);
    expect(metric(few, 'frame.p99').verdict).toBe('insufficient-data');
    expect(metric(few, 'frame.p99').sentence).toBe('p99 frame latency: not enough data in the hold phase (6 points, need 8 across the whole hold)');
    expect(few.verdict).toBe('insufficient-data');
    const none = analyzeDrift([], []);
    expect(none.verdict).toBe('insufficient-data');
    expect(none.windows).toEqual([]);
    expect(none.churn).toEqual({ reconnects: 0, reconnectsPerMin: 0, connectionsMin: 0, connectionsMax: 0 });
  });

  it('only looks inside the hold window, ignores frameless windows for latency, and counts churn', () => {
    const points = [...holdPoints({ fromSec: 0, seconds: 590, p99: () => 1000 }), ...holdPoints({ fromSec: 600, seconds: 3600 })];
    points.push({ t: 4200, framesPerSec: 0, p50: 0, p99: 0, connections: 1100, reconnects: 40 });
    const report = analyzeDrift(points, [], { window: { fromSec: 600, toSec: 4200 } });
    expect(metric(report, 'frame.p99').first).toBeLessThan(110);
    expect(metric(report, 'frame.p99').last).toBeGreaterThan(90);
    expect(report.churn.reconnects).toBe(61 + 40);
    expect(report.churn.reconnectsPerMin).toBeCloseTo(101 / 60, 9);
    expect(report.churn.connectionsMin).toBe(1100);
    expect(report.windows.length).toBeLessThanOrEqual(240);
  });

  it('analyses extra scraped series, turning counters into rates', () => {
    const s = scrapeResult();
    s.series.push({ name: 'jobs_total', labels: { kind: 'encode' }, points: s.series[0]!.points.map(([t]) => [t, t * 5]) });
    const report = analyzeDrift(holdPoints(), [s]);
    const jobs = metric(report, 'series.jobs_total');
    expect(jobs).toMatchObject({ label: 'jobs_total rate', unit: '/s', verdict: 'stable' });
    expect(jobs.first).toBeCloseTo(5, 9);
    expect(
      counterRate([
        [0, 10],
        [10, 20],
        [20, 5],
        [30, 15],
      ]),
    ).toEqual([
      [10, 1],
      [30, 1],
    ]);
  });
});

describe('drift text', () => {
  it('formats spans, percentages and slopes', () => {
    expect(spanText(720)).toBe('12 minutes');
    expect(spanText(45)).toBe('45 seconds');
    expect(spanText(60 * 60 * 3)).toBe('3 hours');
    expect(spanText(5400)).toBe('90 minutes');
    expect(pctText(38.4)).toBe('38 %');
    expect(pctText(-3.25)).toBe('3.3 %');
    expect(slopeText({ slopePerHour: 41.2, unit: 'MB' })).toBe('+41.2 MB/h');
    expect(slopeText({ slopePerHour: -1234, unit: 'frames/s' })).toBe('−1,234 frames/s per h');
    expect(slopeText({ slopePerHour: 0.5, unit: '/s' })).toBe('+0.5/s per h');
  });
});
