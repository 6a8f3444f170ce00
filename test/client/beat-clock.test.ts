import { describe, expect, it } from 'vitest';
import { BeatClock } from '../../src/client/beat-clock.js';

describe('BeatClock', () => {
  it('judges an on-time beat as of now', () => {
    const c = new BeatClock(100, 0);
    expect(c.judgeAtUs(100, 5_000_000)).toBe(5_000_000);
    expect(c.judgeAtUs(200, 5_100_000)).toBe(5_100_000);
  });

  it('judges a beat delayed by a stall of the loop as of its due time', () => {
    const c = new BeatClock(100, 0);
    expect(c.judgeAtUs(1600, 9_000_000)).toBe(9_000_000 - 1_500_000);
    // the next beat is due one period after this one ran
    expect(c.judgeAtUs(1700, 9_100_000)).toBe(9_100_000);
  });
});
