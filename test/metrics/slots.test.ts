import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, recordUs } from '../../src/metrics/hdr.js';
import { mergeSnapshots } from '../../src/metrics/merge.js';
import type { TimeseriesPoint } from '../../src/results/types.js';
import { markPauses } from '../../src/metrics/saturation.js';
import { alignSeries, SlotAligner } from '../../src/metrics/slots.js';
import { CellCollector } from '../../src/metrics/collector.js';

function win(t: number, frames: number, extra: Partial<TimeseriesPoint> = {}): TimeseriesPoint {
  const h = createHistogram();
  for (let i = 0; i < frames; i++) recordUs(h, 1000 + i);
  const durationSec = extra.durationSec ?? 1;
  return { t, durationSec, framesPerSec: frames / durationSec, bytesPerSec: (frames * 100) / durationSec, p50: 1, p99: 1, connections: 10, errors: 1, lost: 2, reconnects: 0, hdr: encodeHistogram(h), loopStallMs: 5, ...extra };
}

const seconds = (series: readonly TimeseriesPoint[]): number[] => series.map((p) => p.t);
const frames = (series: readonly TimeseriesPoint[]): number => series.reduce((n, p) => n + (p.hdr ? decodeHistogram(p.hdr).totalCount : 0), 0);

describe('windows on the slot grid', () => {
  // Worker A ticks every second; worker B's loop stalled 1.2 s across the boundary at 17 s, so it
  // closed one 2.2 s window at 18.2 s (slot 18) and none for slot 17.
  const a = Array.from({ length: 20 }, (_, i) => win(i + 1, 100));
  const b = [...Array.from({ length: 16 }, (_, i) => win(i + 1, 100)), win(18, 220, { durationSec: 2.2, loopStallMs: 1192 }), win(19, 100), win(20, 100)];

  it('merged series from several workers have exactly one window per second', () => {
    const merged = alignSeries([a, b]);
    expect(seconds(merged)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('every frame and every counter is counted once; the spanning window lends its rate and stall to the slot it skipped', () => {
    const merged = alignSeries([a, b]);
    expect(frames(merged)).toBe(frames(a) + frames(b));
    expect(merged.reduce((n, p) => n + p.errors, 0)).toBe(20 + 19);
    expect(merged.reduce((n, p) => n + (p.lost ?? 0), 0)).toBe(2 * 39);
    const s17 = merged[16]!;
    const s18 = merged[17]!;
    expect(s17.framesPerSec).toBe(200);
    expect(s17.connections).toBe(20);
    expect(s17.loopStallMs).toBe(1192);
    expect(s17.spanned).toBe(true);
    expect(decodeHistogram(s17.hdr!).totalCount).toBe(100);
    expect(decodeHistogram(s18.hdr!).totalCount).toBe(320);
    expect(s18.loopStallMs).toBe(1192);
  });

  it('hands out each slot as soon as every worker reached it, and the rest when they end', () => {
    const al = new SlotAligner(2);
    expect(al.push(0, win(1, 10))).toHaveLength(0);
    expect(seconds(al.push(1, win(1, 10)))).toEqual([1]);
    expect(al.push(0, win(2, 10))).toHaveLength(0);
    expect(al.push(0, win(3, 10))).toHaveLength(0);
    expect(seconds(al.push(1, win(3, 20, { durationSec: 2 })))).toEqual([2, 3]);
    expect(seconds(al.push(0, win(4, 10)))).toEqual([]);
    expect(seconds(al.end(1))).toEqual([4]);
    expect(seconds(al.series)).toEqual([1, 2, 3, 4]);
  });

  it('one process that stalled across a boundary still gives one window per second', () => {
    const single = [win(1, 10), win(3, 20, { durationSec: 2.1, loopStallMs: 1100 }), win(4, 10)];
    const out = alignSeries([single]);
    expect(seconds(out)).toEqual([1, 2, 3, 4]);
    expect(out[1]!.framesPerSec).toBeCloseTo(20 / 2.1, 1);
    expect(out[1]!.hdr).toBeUndefined();
    expect(frames(out)).toBe(40);
  });

  it('mergeSnapshots aligns by time, not by position', () => {
    let now = 0;
    const x = new CellCollector(() => now);
    const y = new CellCollector(() => now);
    x.startMeasuring();
    y.startMeasuring();
    for (let s = 1; s <= 4; s++) {
      x.frame(1000, 0, 1);
      y.frame(1000, 0, 1);
      now = s * 1000;
      x.tick(1, undefined, s);
      if (s !== 2) y.tick(1, undefined, s);
    }
    const merged = mergeSnapshots([x.snapshot(), y.snapshot()]);
    expect(seconds(merged.timeseries)).toEqual([1, 2, 3, 4]);
    expect(frames(merged.timeseries)).toBe(8);
  });
});

describe('harness pauses', () => {
  it('one window with a stall over the bound is enough, and is marked harness-affected', () => {
    const series = Array.from({ length: 10 }, (_, i) => win(i + 1, 10, { loopStallMs: i === 6 ? 1192 : 12 }));
    const v = markPauses(series, 100)!;
    expect(v.windows).toEqual([7]);
    expect(v.maxStallMs).toBe(1192);
    expect(v.reason).toMatch(/stalled for up to 1192 ms.* \(bound 100 ms\) in 1 of 10 windows/);
    expect(series.filter((p) => p.harnessAffected).map((p) => p.t)).toEqual([7]);
  });

  it('says when the stalled loop was kept waiting by the machine rather than busy', () => {
    const v = markPauses([win(1, 10, { loopStallMs: 1192, harnessCpuPct: 14 })], 100)!;
    expect(v.reason).toMatch(/1192 ms at 14 % CPU \(a loop blocked at low CPU was kept waiting by the machine/);
  });

  it('the bound is settable; without stall figures there is no verdict', () => {
    const series = [win(1, 10, { loopStallMs: 150 })];
    expect(markPauses(series, 200)!.windows).toEqual([]);
    expect(series[0]!.harnessAffected).toBeUndefined();
    expect(markPauses([{ ...win(1, 1), loopStallMs: undefined }])).toBeUndefined();
  });
});
