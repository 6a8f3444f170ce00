// The diff as plain text for the terminal: warnings, a table of the comparisons that moved (every
// comparison with `all`), the tally, and the gate's failures.
import { table } from '../text/table.js';
import { fmtNum } from '../html/format.js';
import type { MetricDiff } from './compare.js';
import { changeText, headline, rankChanges, tallyText, valueText, verdictText } from './describe.js';
import type { DiffReport, GateFailure } from './diff.js';

function evidence(d: MetricDiff): string {
  if (d.basis === 'count') return 'count';
  if (!d.test || d.q === undefined) return d.basis === 'none' ? 'no noise estimate' : '';
  const n = `${d.test.n1}v${d.test.n2} ${d.basis === 'window' ? 'win' : 'rep'}`;
  return `q=${d.q < 0.001 ? '<0.001' : fmtNum(d.q, 2)} (${n})`;
}

export function diffTable(report: DiffReport, all = false): string {
  const rows = all ? report.cells.flatMap((c) => c.metrics.map((diff) => ({ label: c.pair.label, diff }))) : rankChanges(report, ['worse', 'better', 'noise']);
  const lines: string[] = [];
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  if (lines.length > 0) lines.push('');
  if (rows.length > 0) {
    const headers = ['cell', 'metric', 'base', 'head', 'change', 'verdict', 'evidence'];
    lines.push(
      table(
        headers,
        rows.map(({ label, diff }) => [label, diff.metric.label, valueText(diff, 'base'), valueText(diff, 'head'), changeText(diff), verdictText(diff), evidence(diff)]),
      ),
      '',
    );
  } else if (report.cells.length > 0) {
    lines.push('every metric of every matched cell is unchanged', '');
  }
  if (report.match.added.length > 0) lines.push(`added cells: ${report.match.added.map((c) => c.id).join(', ')}`);
  if (report.match.removed.length > 0) lines.push(`removed cells: ${report.match.removed.map((c) => c.id).join(', ')}`);
  lines.push(`${headline(report).text.replace(/^\S+\s/, '')}: ${tallyText(report)} (${report.cells.length} matched cells, ${report.tests} noise tests)`);
  return lines.join('\n');
}

export function gateText(failures: GateFailure[]): string {
  if (failures.length === 0) return 'gate: passed';
  const lines = failures.map((f) => `  ✗ ${f.cell.pair.label}: ${f.diff.metric.label} ${valueText(f.diff, 'base')} → ${valueText(f.diff, 'head')} (${changeText(f.diff)}) fails ${f.rule}`);
  return `gate: ${failures.length} regression${failures.length === 1 ? '' : 's'} past tolerance\n${lines.join('\n')}`;
}
