// One metric of one cell pair: base and head values, the change, the noise test on per-window or
// per-repeat samples, and the verdict (better, worse, unchanged, within noise) with its reason.
import type { CellResult } from '../metrics/results-types.js';
import { fmtNum } from '../report/html/format.js';
import { formatAmount, repeatSamples, windowSamples, type DiffMetric } from './metrics.js';
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
}

/** A metric diff before multiple-comparison adjustment: verdict not yet decided. */
export type Measured = Omit<MetricDiff, 'verdict' | 'reason' | 'significant' | 'q'> & {
  material: boolean;
  direction: 'better' | 'worse' | null;
  threshold: string;
};

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
  if (metric.noise === 'count') basis = 'count';
  else {
    const source = metric.noise === 'window' ? windowSamples : repeatSamples;
    const a = source(metric, baseCell);
    const b = source(metric, headCell);
    if (a.length >= 2 && b.length >= 2) {
      test = mannWhitneyU(a, b);
      basis = metric.noise;
    }
  }
  return { metric, base, head, delta, change, basis, test, material, direction, threshold };
}

function sampleText(m: Measured): string {
  const t = m.test;
  if (!t) return '';
  return `${t.n1} vs ${t.n2} ${m.basis === 'window' ? 'windows' : 'repeats'}`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${fmtNum(p, 2)}`;
}

/** Decides the verdict once the test's adjusted p (q) is known. */
export function decide(m: Measured, q: number | undefined, alpha: number): MetricDiff {
  const { material, direction, threshold, ...rest } = m;
  const out = (verdict: Verdict, reason: string, significant = false): MetricDiff => ({ ...rest, q, verdict, reason, significant });
  if (!material || direction === null) {
    return out('unchanged', m.delta === 0 ? 'no change' : `change below the ${threshold}`);
  }
  if (m.basis === 'count') return out(direction, 'count: judged by the change alone', direction === 'worse');
  if (m.basis === 'none' || !m.test || q === undefined) return out(direction, 'no noise estimate: effect size alone');
  const tested = `${m.test.method === 'exact' ? 'exact' : 'normal approx.'} Mann–Whitney U on ${sampleText(m)}, ${pText(m.test.p)}, q = ${fmtNum(q, 2)}`;
  if (q < alpha) return out(direction, tested, direction === 'worse');
  const floorP = minAttainableP(m.test.n1, m.test.n2);
  const tooFew = floorP >= alpha ? `; ${sampleText(m)} cannot reach p < ${fmtNum(alpha)} (smallest possible p = ${fmtNum(floorP, 2)})` : '';
  return out('noise', `${tested}${tooFew}`);
}
