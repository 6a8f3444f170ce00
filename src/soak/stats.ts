// Robust trend statistics for drift analysis: medians, time bucketing, the Theil–Sen line and the
// Mann–Kendall trend test. Pure functions over [t, value] pairs; O(n²) pairs, so callers bucket first.
import { mean, median } from '../metrics/median.js';

export type Pair = [t: number, value: number];

export { mean, median };

/**
 * At most `maxBuckets` points: the time span is cut into equal buckets and each non-empty bucket
 * becomes one point (mean t, `reduce` of its values, median by default). Shorter input is returned as is.
 */
export function bucketPairs(pairs: readonly Pair[], maxBuckets: number, reduce: (vs: number[]) => number = median): Pair[] {
  if (pairs.length <= maxBuckets) return pairs.map(([t, v]) => [t, v]);
  return bucketBy(pairs, maxBuckets, (p) => p[0]).map((group) => [mean(group.map((p) => p[0])), reduce(group.map((p) => p[1]))]);
}

/** Groups items into at most `maxBuckets` equal-width time buckets, in order, skipping empty ones. */
export function bucketBy<T>(items: readonly T[], maxBuckets: number, time: (item: T) => number): T[][] {
  if (items.length === 0) return [];
  const ts = items.map(time);
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of ts) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  const width = (hi - lo) / maxBuckets || 1;
  const groups: T[][] = [];
  let current: T[] = [];
  let currentIndex = -1;
  items.forEach((item, i) => {
    const index = Math.min(maxBuckets - 1, Math.floor(((ts[i] as number) - lo) / width));
    if (index !== currentIndex && current.length > 0) {
      groups.push(current);
      current = [];
    }
    currentIndex = index;
    current.push(item);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Theil–Sen estimator: the median of pairwise slopes, intercept = median of (y − slope·t). */
export function theilSen(pairs: readonly Pair[]): { slope: number; intercept: number } {
  const n = pairs.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    const [ti, yi] = pairs[i] as Pair;
    for (let j = i + 1; j < n; j++) {
      const [tj, yj] = pairs[j] as Pair;
      if (tj !== ti) slopes.push((yj - yi) / (tj - ti));
    }
  }
  const slope = slopes.length > 0 ? median(slopes) : 0;
  const intercept = n > 0 ? median(pairs.map(([t, y]) => y - slope * t)) : 0;
  return { slope, intercept };
}

/**
 * Mann–Kendall z score (with tie correction) for a monotonic trend in time-ordered values:
 * |z| ≥ 1.96 rejects "no trend" at 5 % for independent samples. Sign gives the direction.
 */
export function mannKendallZ(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const vi = values[i] as number;
    for (let j = i + 1; j < n; j++) s += Math.sign((values[j] as number) - vi);
  }
  const ties = new Map<number, number>();
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance <= 0 || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}
