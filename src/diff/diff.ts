// `bench diff` as a library: pairs the cells of two results, compares every metric, adjusts the
// p-values across the whole diff, collects warnings, and evaluates the CI gate.
import type { Results } from '../results/types.js';
import { readSaturation } from '../metrics/saturation.js';
import { decide, measureMetric, type Measured, type MetricDiff, type Verdict } from './compare.js';
import { matchCells, type CellMatch, type CellPair } from './match.js';
import { DIFF_METRICS } from './metrics.js';
import type { DiffSettings, GateSettings, Tolerance } from './options.js';
import { benjaminiHochberg } from './stats.js';

export interface DiffInput {
  /** How the file is named in the outputs (its path as given). */
  file: string;
  results: Results;
}

export interface CellDiff {
  pair: CellPair;
  metrics: MetricDiff[];
}

export interface DiffReport {
  base: DiffInput;
  head: DiffInput;
  settings: DiffSettings;
  match: CellMatch;
  cells: CellDiff[];
  warnings: string[];
  /** Number of noise tests in the family the p-values were adjusted over. */
  tests: number;
  tally: Record<Verdict, number>;
}

export interface GateFailure {
  cell: CellDiff;
  diff: MetricDiff;
  rule: string;
}

function scenarioName(results: Results): string {
  const name = results.scenario?.name;
  return typeof name === 'string' ? name : '';
}

function warnings(base: Results, head: Results, match: CellMatch): string[] {
  const out: string[] = [];
  const [bn, hn] = [scenarioName(base), scenarioName(head)];
  if (bn !== hn) out.push(`Different scenarios: base "${bn}", head "${hn}"; cells are compared by their params anyway.`);
  const [bv, hv] = [`${base.tool?.name} ${base.tool?.version}`, `${head.tool?.name} ${head.tool?.version}`];
  if (bv !== hv) out.push(`Different tool versions: base ${bv}, head ${hv}; measurement may differ between versions.`);
  for (const c of match.fixedChanges) out.push(`The runs differ in ${c.param}: ${c.base} → ${c.head}; cells are matched on the swept params only.`);
  const be = base.environment;
  const he = head.environment;
  if (be && he && (be.cpuModel !== he.cpuModel || be.cpus !== he.cpus)) {
    out.push(`Different machines: base ${be.cpus} × ${be.cpuModel}, head ${he.cpus} × ${he.cpuModel}.`);
  }
  if (base.interrupted) out.push('The base run was interrupted: it covers only part of its cells or seconds.');
  if (head.interrupted) out.push('The head run was interrupted: it covers only part of its cells or seconds.');
  for (const [role, pick] of [
    ['base', (p: CellPair) => p.base],
    ['head', (p: CellPair) => p.head],
  ] as const) {
    const saturated = match.pairs.filter((p) => readSaturation(pick(p)));
    if (saturated.length > 0) {
      out.push(`The harness was saturated in the ${role} run (${saturated.map((p) => p.label).join(', ')}): latency there includes the harness's own queueing; judge those verdicts with care.`);
    }
  }
  const byId = match.pairs.filter((p) => p.matchedBy === 'id');
  if (byId.length > 0) out.push(`${byId.length} cell(s) matched by cell id because their params did not match uniquely: ${byId.map((p) => p.key).join(', ')}.`);
  return out;
}

export function diffResults(base: DiffInput, head: DiffInput, settings: DiffSettings): DiffReport {
  const match = matchCells(base.results, head.results);
  const measured: Array<{ pair: CellPair; items: Measured[] }> = match.pairs.map((pair) => ({
    pair,
    items: DIFF_METRICS.map((m) => measureMetric(m, pair.base, pair.head, settings)).filter((m): m is Measured => m !== undefined),
  }));
  const tested = measured.flatMap((c) => c.items).filter((m) => m.test !== undefined);
  const qs = benjaminiHochberg(tested.map((m) => m.test!.p));
  const qOf = new Map(tested.map((m, i) => [m, qs[i]]));
  const cells = measured.map(({ pair, items }) => ({ pair, metrics: items.map((m) => decide(m, qOf.get(m), settings.alpha)) }));
  const tally: Record<Verdict, number> = { better: 0, worse: 0, unchanged: 0, noise: 0 };
  for (const c of cells) for (const m of c.metrics) tally[m.verdict]++;
  return { base, head, settings, match, cells, warnings: warnings(base.results, head.results, match), tests: tested.length, tally };
}

function exceeds(diff: MetricDiff, tol: Tolerance): boolean {
  const amount = Math.abs(diff.delta);
  if (tol.kind === 'abs') return amount > tol.value;
  return diff.change === null || Math.abs(diff.change) > tol.value;
}

/**
 * Regressions that fail the gate: with --max-regression, worse verdicts past the metric's tolerance
 * (any basis: the user named the limit); otherwise with --fail-on worse, worse verdicts backed by a
 * noise test or a count; with --fail-on any-worse, every worse verdict.
 */
export function gateFailures(report: DiffReport, gate: GateSettings): GateFailure[] {
  const out: GateFailure[] = [];
  for (const cell of report.cells) {
    for (const diff of cell.metrics) {
      if (diff.verdict !== 'worse') continue;
      const tol = gate.maxRegression[diff.metric.key] ?? gate.maxRegression['*'];
      if (tol) {
        if (exceeds(diff, tol)) out.push({ cell, diff, rule: `--max-regression ${diff.metric.key}=${tol.text}` });
      } else if (gate.failOn === 'any-worse' || (gate.failOn === 'worse' && diff.significant)) {
        out.push({ cell, diff, rule: `--fail-on ${gate.failOn}` });
      }
    }
  }
  return out;
}

/** Significant regressions (tested or counts): what the verdict line leads with. */
export function regressions(report: DiffReport): Array<{ cell: CellDiff; diff: MetricDiff }> {
  return report.cells.flatMap((cell) => cell.metrics.filter((d) => d.verdict === 'worse').map((diff) => ({ cell, diff })));
}
