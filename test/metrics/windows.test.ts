import { describe, expect, it } from 'vitest';
import { CellCollector } from '../../src/metrics/collector.js';
import { createHistogram, decodeHistogram, encodeHistogram, recordUs } from '../../src/metrics/hdr.js';
import type { TimeseriesPoint } from '../../src/results/types.js';
import { mergeConsecutive, mergeSimultaneous, rollUp } from '../../src/metrics/windows.js';

function point(t: number, values: number[], extra: Partial<TimeseriesPoint> = {}): TimeseriesPoint {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return { t, durationSec: 1, framesPerSec: values.length, bytesPerSec: values.length * 100, p50: 0, p99: 0, connections: 2, errors: 1, lost: 0, reconnects: 0, hdr: encodeHistogram(h), ...extra };
}

describe('time-series windows', () => {
  it('merges consecutive windows exactly (rates weighted by time, histograms added)', () => {
    const m = mergeConsecutive([point(1, [1000, 2000]), point(2, [3000, 4000, 5000, 6000])]);
    expect(m).toMatchObject({ t: 2, durationSec: 2, framesPerSec: 3, bytesPerSec: 300, errors: 2, connections: 2 });
    expect(decodeHistogram(m.hdr!).totalCount).toBe(6);
    expect(m.p99).toBeCloseTo(6, 1);
  });

  it('merges the same window from several workers (rates and connections summed)', () => {
    const m = mergeSimultaneous([point(1, [1000]), point(1.01, [90_000, 1000])]);
    expect(m).toMatchObject({ framesPerSec: 3, connections: 4, errors: 2, durationSec: 1 });
    expect(m.p99).toBeCloseTo(90, 0);
  });

  it('rolls up to a bounded number of windows while keeping every frame', () => {
    const points = Array.from({ length: 1000 }, (_, i) => point(i + 1, [1000 + i]));
    const rolled = rollUp(points, 300);
    expect(rolled.length).toBeLessThanOrEqual(300);
    expect(rolled.reduce((n, p) => n + decodeHistogram(p.hdr!).totalCount, 0)).toBe(1000);
    expect(rolled.at(-1)!.t).toBe(1000);
  });

  it('keeps a collector bounded however long it runs', () => {
    let now = 0;
    const c = new CellCollector(() => now, 100);
    c.startMeasuring();
    for (let s = 1; s <= 5000; s++) {
      c.frame(1000, 0, 10);
      now = s * 1000;
      c.tick(1);
    }
    expect(c.timeseries.length).toBeLessThanOrEqual(100);
    expect(c.timeseries.reduce((n, p) => n + (p.durationSec ?? 0), 0)).toBeCloseTo(5000, 0);
    expect(c.snapshot().latencyMs.frame.count).toBe(5000);
  });
});
