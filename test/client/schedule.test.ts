import { describe, expect, it } from 'vitest';
import { estimateOffset, isLoopbackUrl } from '../../src/client/clock-sync.js';
import { latenessUs, scheduleAnchor } from '../../src/client/schedule.js';

describe('lateness', () => {
  const interval = 1e6 / 30;

  it('is zero for frames on schedule and measures from when a frame should have arrived', () => {
    const anchor = scheduleAnchor(1_000_000, 0, interval);
    expect(latenessUs(1_000_000 + 10 * interval, anchor, 10, interval)).toBeCloseTo(0, 6);
    // A 200 ms stall before frame 10: frames 10..15 arrive together, each later than its slot.
    const stalledArrival = 1_000_000 + 10 * interval + 200_000;
    expect(latenessUs(stalledArrival, anchor, 10, interval)).toBeCloseTo(200_000, 6);
    expect(latenessUs(stalledArrival, anchor, 15, interval)).toBeCloseTo(200_000 - 5 * interval, 6);
  });

  it('anchors on the first frame even when it is not seq 0 (a resumed stream)', () => {
    const anchor = scheduleAnchor(5_000_000, 30, interval);
    expect(anchor).toBeCloseTo(5_000_000 - 1_000_000, 3);
    expect(latenessUs(5_000_000 + interval, anchor, 31, interval)).toBeCloseTo(0, 6);
  });

  it('is negative for early frames (recorded as 0)', () => {
    expect(latenessUs(900, 1000, 0, interval)).toBe(-100);
  });
});

describe('clock offset estimation', () => {
  it('keeps the minimum round-trip sample', () => {
    const est = estimateOffset([
      { t0: 0, t1: 5_000 + 900, t2: 2_000 },
      { t0: 10_000, t1: 10_000 + 5_000 + 100, t2: 10_200 },
      { t0: 20_000, t1: 20_000 + 5_000 + 3_000, t2: 26_000 },
    ]);
    expect(est.rttUs).toBe(200);
    expect(est.offsetUs).toBe(5_000);
    expect(est.uncertaintyUs).toBe(100);
    expect(est.samples).toBe(3);
  });

  it('has no estimate without samples', () => {
    expect(estimateOffset([])).toEqual({ offsetUs: 0, rttUs: 0, uncertaintyUs: 0, samples: 0 });
  });

  it('knows loopback targets', () => {
    expect(isLoopbackUrl('ws://127.0.0.5:80/x')).toBe(true);
    expect(isLoopbackUrl('ws://localhost:8080/')).toBe(true);
    expect(isLoopbackUrl('ws://[::1]:8080/')).toBe(true);
    expect(isLoopbackUrl('wss://staging.example/stream')).toBe(false);
  });
});
