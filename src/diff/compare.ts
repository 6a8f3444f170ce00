// One metric of one cell pair: base and head values, the change, the noise test on per-window or
// per-repeat samples, and the verdict (better, worse, unchanged, within noise) with its reason.
import type { CellResult } from '../results/types.js';
import { fmtNum } from '../html/format.js';
import { formatAmount, formatMetric, repeatSamples, windowSamples, type DiffMetric } from './metrics.js';
import type { DiffSettings } from './options.js';
import { mannWhitneyU, minAttainableP, relativeChange, type RankTest } from './stats.js';

export type Verdict = 'better' | 'worse' | 'unchanged' | 'noise';

/** What the verdict rests on: a rank test on windows or repeats, a count, or the effect size alone. */
export type Basis = 'window' | 'repeat' | 'count' | 'none';

export interface MetricDiff {
  metric: DiffMetric;
  base: number;
  head: number;
  delta: number;
  /** Relative change as a fraction; null when base is 0 and head is not. */
  change: number | null;
  basis: Basis;
  test?: RankTest;
  /** Benjamini–Hochberg adjusted p of the test, across every test of the diff. */
  q?: number;
  verdict: Verdict;
  /** Why: the effect against its threshold, or the test result. */
  reason: string;
  /** Worse with a noise test behind it, or a count: what `--fail-on worse` gates on. */
  significant: boolean;
  /** Within noise only because the samples are too few for any result to reach p < α. */
  underpowered: boolean;
}

/** Per-repeat range of a window metric on each side, when both cells hold ≥ 2 repeats. */
export interface RepeatSpread {
  base: [number, number];
  head: [number, number];
}

/** A metric diff before multiple-comparison adjustment: verdict not yet decided. */
export type Measured = Omit<MetricDiff, 'verdict' | 'reason' | 'significant' | 'underpowered' | 'q'> & {
  material: boolean;
  direction: 'better' | 'worse' | null;
  threshold: string;
  /** The effect threshold as an amount: max(min effect × |base|, floor). */
  minAmount: number;
  spread?: RepeatSpread;
};

const range = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];

const EPS = 1e-9;

export function measureMetric(metric: DiffMetric, baseCell: CellResult, headCell: CellResult, settings: DiffSettings): Measured | undefined {
  const base = metric.value(baseCell);
  const head = metric.value(headCell);
  if (base === null || head === null || !Number.isFinite(base) || !Number.isFinite(head)) return undefined;
  const delta = head - base;
  const change = relativeChange(base, head);
  const minEffect = settings.minEffect[metric.key] ?? 0;
  const floor = settings.floor[metric.key] ?? 0;
  const material = delta !== 0 && Math.abs(delta) + EPS >= floor && (change === null || Math.abs(change) + EPS >= minEffect);
  const worse = metric.better === 'lower' ? delta > 0 : delta < 0;
  const direction = delta === 0 ? null : worse ? 'worse' : 'better';
  const threshold = `min effect ${fmtNum(minEffect * 100)}%, floor ${formatAmount(metric.unit, floor)}`;

  let basis: Basis = 'none';
  let test: RankTest | undefined;
  let spread: RepeatSpread | undefined;
  if (metric.noise === 'count') basis = 'count';
  else {
    const source = metric.noise === 'window' ? windowSamples : repeatSamples;
    const a = source(metric, baseCell);
    const b = source(metric, headCell);
    if (a.length >= 2 && b.length >= 2) {
      test = mannWhitneyU(a, b);
      basis = metric.noise;
    }
    const ra = repeatSamples(metric, baseCell, 2);
    const rb = repeatSamples(metric, headCell, 2);
    if (ra.length > 0 && rb.length > 0) spread = { base: range(ra), head: range(rb) };
  }
  const minAmount = Math.max(minEffect * Math.abs(base), floor);
  return { metric, base, head, delta, change, basis, test, material, direction, threshold, minAmount, spread };
}

function sampleText(m: Measured): string {
  const t = m.test;
  if (!t) return '';
  return `${t.n1} vs ${t.n2} ${m.basis === 'window' ? 'windows' : 'repeats'}`;
}

function pText(p: number, name = 'p'): string {
  return p < 0.001 ? `${name} < 0.001` : `${name} = ${fmtNum(p, 2)}`;
}

/** How far every head repeat lies beyond every base repeat in the direction of the change (negative: they overlap). */
export function repeatGap(s: RepeatSpread, delta: number): number {
  return delta > 0 ? s.head[0] - s.base[1] : s.base[0] - s.head[1];
}

function spreadText(m: Measured, s: RepeatSpread): string {
  const r = ([lo, hi]: [number, number]): string => `${formatMetric(m.metric.unit, lo)}–${formatMetric(m.metric.unit, hi)}`;
  return `base repeats ${r(s.base)}, head repeats ${r(s.head)}`;
}

/** Decides the verdict once the test's adjusted p (q) is known. */
export function decide(m: Measured, q: number | undefined, alpha: number): MetricDiff {
  const { material, direction, threshold, minAmount, spread, ...rest } = m;
  const out = (verdict: Verdict, reason: string, significant = false, underpowered = false): MetricDiff => ({ ...rest, q, verdict, reason, significant, underpowered });
  if (!material || direction === null) {
    return out('unchanged', m.delta === 0 ? 'no change' : `change below the ${threshold}`);
  }
  if (m.basis === 'count') return out(direction, 'count: judged by the change alone', direction === 'worse');
  if (m.basis === 'none' || !m.test || q === undefined) return out(direction, 'no noise estimate: effect size alone');
  const tested = `${m.test.method === 'exact' ? 'exact' : 'normal approx.'} Mann–Whitney U on ${sampleText(m)}, ${pText(m.test.p)}, ${pText(q, 'q')}`;
  const everyRepeat = spread !== undefined && repeatGap(spread, m.delta) + EPS >= minAmount;
  if (q < alpha && spread && !everyRepeat) return out('noise', `${tested}, but not every repeat moved by the threshold (${spreadText(m, spread)})`);
  if (q < alpha) return out(direction, spread ? `${tested}; ${spreadText(m, spread)}` : tested, direction === 'worse');
  const floorP = minAttainableP(m.test.n1, m.test.n2);
  if (floorP < alpha) return out('noise', tested);
  const tooFew = `${sampleText(m)} cannot reach p < ${fmtNum(alpha)} (smallest possible p = ${fmtNum(floorP, 2)})`;
  if (everyRepeat) return out(direction, `untested: ${tooFew}, but every head repeat moved past every base repeat by the threshold (${spreadText(m, spread!)})`, false, true);
  return out('noise', `${tested}; ${tooFew}`, false, true);
}
