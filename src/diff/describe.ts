// Plain-text pieces shared by the terminal, markdown and HTML renderings of a diff: verdict words,
// change text, the one-line tally, and the method statement a reader can judge the verdicts by.
import { fmtNum, fmtSignedPct } from '../html/format.js';
import type { MetricDiff, Verdict } from './compare.js';
import type { DiffReport } from './diff.js';
import { DIFF_METRICS, MIN_REPEATS, formatAmount, formatMetric } from './metrics.js';
import { DEFAULT_MIN_EFFECT } from './options.js';
import { EXACT_MAX_TOTAL, minAttainableP } from './stats.js';

export const VERDICT_WORDS: Record<Verdict, string> = { better: 'better', worse: 'worse', unchanged: 'unchanged', noise: 'within noise' };

/** Verdicts in the order a reader wants them: what got worse first. */
export const VERDICT_ORDER: readonly Verdict[] = ['worse', 'better', 'noise', 'unchanged'];

export function verdictText(d: MetricDiff): string {
  const word = VERDICT_WORDS[d.verdict];
  if ((d.verdict === 'worse' || d.verdict === 'better') && d.basis === 'none') return `${word} (no noise estimate)`;
  if (d.underpowered) return d.verdict === 'noise' ? `${word} (too few samples)` : `${word} (every repeat; too few to test)`;
  return word;
}

export function changeText(d: MetricDiff): string {
  if (d.change === null) return `${d.delta > 0 ? '+' : '−'}${formatMetric(d.metric.unit, Math.abs(d.delta))}`;
  return fmtSignedPct(d.change * 100);
}

export const valueText = (d: MetricDiff, which: 'base' | 'head'): string => formatMetric(d.metric.unit, d[which]);

/** The verdict line: significant regressions first, then regressions without a noise estimate. */
export function headline(report: DiffReport): { ok: boolean; text: string } {
  const significant = report.cells.flatMap((c) => c.metrics).filter((d) => d.verdict === 'worse' && d.significant).length;
  const unverified = report.cells.flatMap((c) => c.metrics).filter((d) => d.verdict === 'worse' && !d.significant).length;
  if (significant > 0) return { ok: false, text: `❌ ${significant} significant regression${significant === 1 ? '' : 's'}` };
  if (unverified > 0) return { ok: true, text: `⚠️ no significant regression; ${unverified} worse by effect size only` };
  return { ok: true, text: '✅ no significant regression' };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function tallyText(report: DiffReport): string {
  const t = report.tally;
  const parts = [`${t.worse} worse`, `${t.better} better`, `${t.noise} within noise`, `${t.unchanged} unchanged`];
  if (report.match.added.length > 0) parts.push(plural(report.match.added.length, 'cell added', 'cells added'));
  if (report.match.removed.length > 0) parts.push(plural(report.match.removed.length, 'cell removed', 'cells removed'));
  return parts.join(' · ');
}

/** Worse before better before within noise; within each, significant before the rest, larger changes first. */
export function rankChanges(report: DiffReport, verdicts: readonly Verdict[]): Array<{ label: string; diff: MetricDiff }> {
  const rows = report.cells.flatMap((c) => c.metrics.filter((d) => verdicts.includes(d.verdict)).map((diff) => ({ label: c.pair.label, diff })));
  const weight = (d: MetricDiff): number => VERDICT_ORDER.indexOf(d.verdict) * 10 + (d.significant ? 0 : 1);
  const size = (d: MetricDiff): number => (d.change === null ? Infinity : Math.abs(d.change));
  return rows.sort((a, b) => weight(a.diff) - weight(b.diff) || size(b.diff) - size(a.diff));
}

function overrides(report: DiffReport): string[] {
  const out: string[] = [];
  for (const m of DIFF_METRICS) {
    const effect = report.settings.minEffect[m.key];
    const floor = report.settings.floor[m.key];
    if (effect !== undefined && effect !== DEFAULT_MIN_EFFECT) out.push(`${m.key}: min effect ${fmtNum(effect * 100)}%`);
    if (floor !== undefined && floor !== m.floor) out.push(`${m.key}: floor ${formatAmount(m.unit, floor)}`);
  }
  return out;
}

/** The method, one paragraph per item, in plain text (renderers escape it). */
export function methodText(report: DiffReport): string[] {
  const axes = report.match.axes.length > 0 ? report.match.axes.join(', ') : 'no swept params, one cell per file';
  const alpha = fmtNum(report.settings.alpha);
  const custom = overrides(report);
  return [
    `Matching: cells are paired by the values of the swept params (here: ${axes}); params fixed within each run but different between the runs (such as clients or duration) are reported, not matched on. Cells without a unique match are paired by cell id; the rest are listed as added or removed.`,
    'Values: base and head are each cell’s aggregate (percentiles of the merged HDR histogram over every repeat); change = (head − base) / base.',
    `Effect: a change counts only when it is at least the minimum effect (default ${fmtNum(DEFAULT_MIN_EFFECT * 100)}% of the base) and at least the metric’s absolute floor (latency: 1 ms for p50, 2 ms for p95/p99 tails, 10 ms for p99.9 and reconnect; 1 frame/s, 100 B per frame, 0.1 percentage point of stall ratio, 1 for counts); otherwise the verdict is unchanged.${custom.length > 0 ? ` Overrides: ${custom.join('; ')}.` : ''}`,
    `Noise test: frame latency p50 and p99, frames/s and bytes per frame have per-second windows; base windows are compared with head windows (of every repeat) by a two-sided Mann–Whitney U test, exact (permutation distribution over midranks, so ties are handled) up to ${EXACT_MAX_TOTAL} windows in all, otherwise the normal approximation with tie and continuity correction. The other latency metrics, stall ratio and startup delay are tested the same way on their per-repeat values when both cells hold at least ${MIN_REPEATS} repeats. p-values are adjusted over all ${report.tests} tests of this diff (Benjamini–Hochberg); a change past its effect threshold is better or worse when q < ${alpha}, otherwise within noise.`,
    `Run-to-run noise: the windows of one run share its conditions, so a shift between two runs of the same code looks significant to the window test (measured on a shared 2-CPU machine: the p50 windows of identical 2 s × 3-repeat runs often separated completely). So when both cells hold at least 2 repeats, better or worse also needs every head repeat to lie past every base repeat by at least the effect threshold; otherwise the verdict is within noise. Where the samples are too few for any result to reach q < ${alpha} (3 vs 3 repeats: smallest possible p ${fmtNum(minAttainableP(3, 3), 2)}; 5 vs 5: ${fmtNum(minAttainableP(5, 5), 2)}), that every-repeat rule alone decides and the verdict says “every repeat; too few to test”. Without repeats the guard is missing: use repeat ≥ 3, and ≥ 5 to test the per-repeat metrics.`,
    'Without a noise sample (no windows, fewer repeats) the verdict rests on the effect alone and says “no noise estimate”. Counts (lost frames, errors) are judged by the change alone: 0 → 0 is unchanged, 0 → N is worse.',
    'Gate: --fail-on worse fails on regressions backed by a noise test and on counts; --fail-on any-worse also on “no noise estimate” and “too few to test” verdicts; --max-regression fails a named metric on any worse verdict past its tolerance. Added or removed cells never fail the gate.',
  ];
}
