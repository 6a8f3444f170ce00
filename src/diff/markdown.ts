// The diff as markdown short enough for a pull-request comment: a verdict line, a table of the
// significant changes only, counts of the rest, and the details (noise, method) collapsed.
import type { Results } from '../results/types.js';
import { escapeMarkdown } from '../text/markdown.js';
import type { MetricDiff } from './compare.js';
import { changeText, headline, methodText, rankChanges, tallyText, valueText, verdictText } from './describe.js';
import type { DiffInput, DiffReport } from './diff.js';

/** Rows listed in a table before the rest are summarised. */
export const MAX_MARKDOWN_ROWS = 40;

const ICON: Record<MetricDiff['verdict'], string> = { worse: '🔴', better: '🟢', noise: '⚪', unchanged: '' };

function side(input: DiffInput): string {
  const r: Results = input.results;
  return `${escapeMarkdown(input.file)} (${escapeMarkdown(`${r.tool?.name ?? 'framebench'} ${r.tool?.version ?? ''}`.trim())}, run ${escapeMarkdown(r.runId ?? '')})`;
}

function table(rows: Array<{ label: string; diff: MetricDiff }>, withReason: boolean): string[] {
  const head = withReason ? ['| Cell | Metric | Base | Head | Change | Verdict | Why |', '|---|---|--:|--:|--:|---|---|'] : ['| Cell | Metric | Base | Head | Change | Verdict |', '|---|---|--:|--:|--:|---|'];
  const shown = rows.slice(0, MAX_MARKDOWN_ROWS).map(({ label, diff }) => {
    const cols = [escapeMarkdown(label), escapeMarkdown(diff.metric.label), valueText(diff, 'base'), valueText(diff, 'head'), changeText(diff), `${ICON[diff.verdict]} ${verdictText(diff)}`.trim()];
    if (withReason) cols.push(escapeMarkdown(diff.reason));
    return `| ${cols.join(' | ')} |`;
  });
  const more = rows.length - shown.length;
  return [...head, ...shown, ...(more > 0 ? [`| … and ${more} more (see diff.html) | | | | | |${withReason ? ' |' : ''}`] : [])];
}

function cellList(title: string, labels: string[]): string[] {
  return labels.length === 0 ? [] : [`**${title}:** ${labels.map(escapeMarkdown).join(', ')}`, ''];
}

export function renderDiffMarkdown(report: DiffReport): string {
  const name = report.head.results.scenario?.name;
  const lines = [`### framebench diff${typeof name === 'string' ? `: ${escapeMarkdown(name)}` : ''}`, ''];
  lines.push(`**${headline(report).text}** · ${tallyText(report)}`, '');
  lines.push(`base ${side(report.base)} → head ${side(report.head)}`, '');
  for (const w of report.warnings) lines.push(`> ⚠️ ${escapeMarkdown(w)}`, '>');
  if (report.warnings.length > 0) lines.splice(lines.length - 1, 1, '');

  const changes = rankChanges(report, ['worse', 'better']);
  if (report.cells.length === 0) lines.push('_No cells in common._', '');
  else if (changes.length === 0) lines.push('_No metric changed beyond its threshold._', '');
  else lines.push(...table(changes, false), '');
  const noise = rankChanges(report, ['noise']);
  lines.push(`${report.tally.noise} within noise and ${report.tally.unchanged} unchanged comparisons across ${report.cells.length} matched cell${report.cells.length === 1 ? '' : 's'}.`, '');
  lines.push(
    ...cellList(
      'Added cells',
      report.match.added.map((c) => c.id),
    ),
    ...cellList(
      'Removed cells',
      report.match.removed.map((c) => c.id),
    ),
  );

  if (noise.length > 0) lines.push(`<details><summary>Within noise (${noise.length})</summary>`, '', ...table(noise, true), '', '</details>', '');
  if (changes.length > 0) lines.push('<details><summary>Why each change was judged so</summary>', '', ...table(changes, true), '', '</details>', '');
  lines.push('<details><summary>Method</summary>', '', ...methodText(report).flatMap((p) => [escapeMarkdown(p), '']), '</details>');
  return `${lines.join('\n')}\n`;
}
