// The diff's statistics against textbook values: Mann–Whitney U (exact and normal approximation,
// with ties), the normal CDF, Benjamini–Hochberg, and the smallest p a sample size allows.
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, binomial, mannWhitneyU, median, midranks, minAttainableP, normalCdf, relativeChange } from '../../src/diff/stats.js';

// Hollander & Wolfe (1973), p. 69: permeability constants of the human chorioamnion (R's wilcox.test example:
// W = 35, one-sided p = 0.1272, so two-sided exact p = 0.2544).
const AT_TERM = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const TWELVE_TO_26_WEEKS = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('midranks and median', () => {
  it('averages the ranks of ties', () => {
    expect(midranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(midranks([3, 1, 2])).toEqual([3, 1, 2]);
    expect(midranks([5, 5, 5])).toEqual([2, 2, 2]);
  });

  it('takes the middle value or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('mannWhitneyU', () => {
  it('matches the Hollander & Wolfe example exactly (U = 35, p = 0.2544)', () => {
    const t = mannWhitneyU(AT_TERM, TWELVE_TO_26_WEEKS)!;
    expect(t.u).toBe(35);
    expect(t.method).toBe('exact');
    expect(t.p).toBeCloseTo(0.2544122544, 8);
  });

  it('is symmetric: swapping the samples gives U = n1·n2 − U and the same p', () => {
    const t = mannWhitneyU(TWELVE_TO_26_WEEKS, AT_TERM)!;
    expect(t.u).toBe(50 - 35);
    expect(t.p).toBeCloseTo(0.2544122544, 8);
  });

  it('uses the normal approximation with continuity correction when asked (p = 0.2446)', () => {
    const t = mannWhitneyU(AT_TERM, TWELVE_TO_26_WEEKS, 0)!;
    expect(t.method).toBe('normal');
    expect(t.z).toBeCloseTo(1.1635, 3);
    expect(t.p).toBeCloseTo(0.2446236, 5);
  });

  it('gives p = 0.1 for 3 vs 3 completely separated samples, the smallest possible', () => {
    const t = mannWhitneyU([1, 2, 3], [4, 5, 6])!;
    expect(t.u).toBe(0);
    expect(t.p).toBeCloseTo(0.1, 12);
    expect(minAttainableP(3, 3)).toBeCloseTo(0.1, 12);
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3])!.u).toBe(9);
  });

  it('handles ties exactly (full permutation: 112 of 24310 splits as extreme) and by tie-corrected normal approximation', () => {
    const a = [1, 2, 2, 3, 4, 4, 4, 5];
    const b = [3, 4, 5, 5, 6, 6, 7, 8, 8];
    const exact = mannWhitneyU(a, b)!;
    expect(exact.u).toBe(8);
    expect(exact.p).toBeCloseTo(112 / 24310, 10);
    const normal = mannWhitneyU(a, b, 0)!;
    expect(normal.p).toBeCloseTo(0.0074536, 5);
  });

  it('returns p = 1 for identical samples and undefined for an empty one', () => {
    expect(mannWhitneyU([2, 2, 2], [2, 2, 2])!.p).toBe(1);
    expect(mannWhitneyU([2, 2, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2], 0)!.p).toBe(1);
    expect(mannWhitneyU([1, 2, 3], [3, 2, 1])!.p).toBe(1);
    expect(mannWhitneyU([], [1])).toBeUndefined();
  });

  it('agrees between exact and normal methods on a larger sample (30 vs 30)', () => {
    const a = Array.from({ length: 30 }, (_, i) => 10 + ((i * 7) % 13));
    const b = Array.from({ length: 30 }, (_, i) => 12 + ((i * 5) % 11));
    const exact = mannWhitneyU(a, b, 60)!;
    const normal = mannWhitneyU(a, b, 0)!;
    expect(exact.method).toBe('exact');
    expect(normal.u).toBe(361.5);
    expect(normal.p).toBeCloseTo(0.191866, 5);
    expect(Math.abs(exact.p - normal.p)).toBeLessThan(0.01);
  });
});

describe('normalCdf, binomial, minAttainableP', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-2.5758)).toBeCloseTo(0.0050004, 6);
    expect(normalCdf(0.5)).toBeCloseTo(0.6914625, 6);
  });

  it('counts combinations and the smallest two-sided p', () => {
    expect(binomial(6, 3)).toBe(20);
    expect(binomial(12, 6)).toBe(924);
    expect(binomial(5, 7)).toBe(0);
    expect(minAttainableP(6, 6)).toBeCloseTo(2 / 924, 12);
    expect(minAttainableP(5, 5)).toBeCloseTo(2 / 252, 12);
    expect(minAttainableP(1, 1)).toBe(1);
    expect(minAttainableP(0, 4)).toBe(1);
  });
});

describe('benjaminiHochberg', () => {
  it('matches the step-up adjustment (scipy false_discovery_control)', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    [0.025, 0.05, 0.05, 0.025, 0.5].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 12));
  });

  it('leaves a single p alone and caps at 1', () => {
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('relativeChange', () => {
  it('is a signed fraction of the base, null from zero', () => {
    expect(relativeChange(10, 12)).toBeCloseTo(0.2, 12);
    expect(relativeChange(10, 8)).toBeCloseTo(-0.2, 12);
    expect(relativeChange(-10, -12)).toBeCloseTo(-0.2, 12);
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(0, 3)).toBeNull();
  });
});
