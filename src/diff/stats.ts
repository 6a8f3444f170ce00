// Pure statistics behind `bench diff`: midranks, the two-sided Mann–Whitney U test (exact
// permutation distribution for small samples, normal approximation with tie and continuity
// correction otherwise), the smallest p a sample size allows, and Benjamini–Hochberg adjustment.

export interface RankTest {
  /** U of the first sample: pairs (a, b) with a > b, ties counting one half. */
  u: number;
  n1: number;
  n2: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
  /** Standardised statistic (normal method only). */
  z?: number;
}

/** Samples with n1 + n2 up to this size get the exact distribution. */
export const EXACT_MAX_TOTAL = 50;

export { median } from '../metrics/median.js';

/** 1-based ranks of the values, tied values sharing the average of their ranks. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]![1]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Standard normal cumulative distribution (erfc by Chebyshev fit, relative error < 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const j = Math.min(k, n - k);
  let out = 1;
  for (let i = 1; i <= j; i++) out = (out * (n - j + i)) / i;
  return Math.round(out);
}

/** The smallest two-sided p-value a rank test of n1 against n2 samples can reach (no ties). */
export function minAttainableP(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  return Math.min(1, 2 / binomial(n1 + n2, n1));
}

/** Two-sided p from the exact permutation distribution of the first sample's doubled rank sum. */
function exactP(doubledRanks: number[], n1: number, observed: number): number {
  const maxSum = doubledRanks.reduce((s, r) => s + r, 0);
  const ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  for (const r of doubledRanks) {
    for (let k = n1; k >= 1; k--) {
      const from = ways[k - 1]!;
      const to = ways[k]!;
      for (let s = maxSum - r; s >= 0; s--) if (from[s]! > 0) to[s + r]! += from[s]!;
    }
  }
  const mean = (n1 * maxSum) / doubledRanks.length;
  const distance = Math.abs(observed - mean) - 1e-9;
  let hit = 0;
  let total = 0;
  const last = ways[n1]!;
  for (let s = 0; s <= maxSum; s++) {
    const w = last[s]!;
    if (w === 0) continue;
    total += w;
    if (Math.abs(s - mean) >= distance) hit += w;
  }
  return Math.min(1, hit / total);
}

/** Two-sided Mann–Whitney U test of a against b; undefined when either sample is empty. */
export function mannWhitneyU(a: readonly number[], b: readonly number[], exactMaxTotal = EXACT_MAX_TOTAL): RankTest | undefined {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return undefined;
  const n = n1 + n2;
  const ranks = midranks([...a, ...b]);
  const rankSum = ranks.slice(0, n1).reduce((s, r) => s + r, 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  if (n <= exactMaxTotal) {
    const doubled = ranks.map((r) => Math.round(r * 2));
    return { u, n1, n2, p: exactP(doubled, n1, Math.round(rankSum * 2)), method: 'exact' };
  }
  const tieCounts = new Map<number, number>();
  for (const r of ranks) tieCounts.set(r, (tieCounts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieCounts.values()) tieTerm += t ** 3 - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, n1, n2, p: 1, method: 'normal', z: 0 };
  const diff = Math.abs(u - (n1 * n2) / 2);
  const z = Math.max(0, diff - 0.5) / Math.sqrt(variance);
  return { u, n1, n2, p: Math.min(1, 2 * (1 - normalCdf(z))), method: 'normal', z };
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Relative change head vs base as a fraction; null when base is 0 and head is not. */
export function relativeChange(base: number, head: number): number | null {
  if (base === head) return 0;
  if (base === 0) return null;
  return (head - base) / Math.abs(base);
}
