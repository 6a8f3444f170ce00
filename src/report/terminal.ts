// Plain-text summary table of a run for the terminal, then why it passed or failed: cell failures,
// thresholds that failed or were not measured, skipped ones, drift thresholds, and a verdict line.
import { browserTerminalLines } from './browser-rows.js';
import type { CellResult, LatencySummary, Results } from '../results/types.js';
import { table } from '../text/table.js';
import { ingestLine } from './ingest-lines.js';
import { cellFailureItems, failedThresholdItems, failSummary, runTally, skippedThresholdItems, tallyText, type VerdictItem } from './verdict-text.js';

/** Lines listed per section before "… and N more". */
export const MAX_TERMINAL_LINES = 30;

function listed(mark: string, items: readonly VerdictItem[]): string[] {
  const shown = items.slice(0, MAX_TERMINAL_LINES).map((i) => `  ${mark} ${i.where}: ${i.text}`);
  if (items.length > shown.length) shown.push(`  … and ${items.length - shown.length} more`);
  return shown;
}

const f1 = (x: number): string => x.toFixed(1);
/** A latency figure, or "–" when nothing was measured (no server timestamp, no sample). */
const stat = (s: LatencySummary | undefined, k: 'p50' | 'p95' | 'p99' | 'max'): string => (s && s.count > 0 ? f1(s[k]) : '–');
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

function row(c: CellResult): string[] {
  const l = c.latencyMs;
  return [
    `${c.repeat ? `${c.id}#${c.repeat}` : c.id}${c.harnessSaturated ? ' !' : ''}`,
    String(c.params.clients),
    f1(c.throughput.framesPerSec),
    mb(c.throughput.bytesPerSec),
    stat(l.frame, 'p50'),
    stat(l.frame, 'p95'),
    stat(l.frame, 'p99'),
    stat(l.frame, 'max'),
    stat(l.lateness, 'p99'),
    stat(l.gap, 'p99'),
    stat(l.connect, 'p99'),
    stat(l.firstFrame, 'p99'),
    stat(l.timeToDone, 'p50'),
    `${c.counts.framesLost}/${c.counts.framesDuplicated}`,
    String(c.counts.errors),
  ];
}

export function summaryTable(results: Results): string {
  const headers = ['cell', 'clients', 'frames/s', 'MB/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'late p99', 'gap p99', 'connect p99', 'first frame p99', 'done p50', 'lost/dup', 'errors'];
  const lines = [table(headers, results.cells.map(row))];
  const ingest = results.cells.map(ingestLine).filter((l): l is string => l !== undefined);
  if (ingest.length) lines.push('', 'upload cells (frames/s = answered for; p50–max = capture → answer; first frame = first answer):', ...ingest.map((l) => `  ${l}`));
  lines.push(...browserTerminalLines(results));
  const cellFailures = cellFailureItems(results);
  if (cellFailures.length > 0) {
    const n = new Set(cellFailures.map((f) => f.where)).size;
    lines.push('', `cells: ${n} of ${results.cells.length} failed`, ...listed('✗', cellFailures));
  }
  const tally = runTally(results);
  if (tally.total > 0) lines.push('', `thresholds: ${tallyText(tally)}`, ...listed('✗', failedThresholdItems(results)), ...listed('–', skippedThresholdItems(results)));
  const errors = results.cells.flatMap((c) => Object.entries(c.errorsByKind).map(([k, n]) => `${c.id}: ${k} ×${n}`));
  if (errors.length) lines.push('', `errors: ${errors.join(', ')}`);
  const foreign = results.cells.filter((c) => c.latencyMs.frame.count === 0 && c.counts.framesReceived > 0);
  if (foreign.length)
    lines.push(
      '',
      `frame latency: not measured in ${foreign.length === results.cells.length ? 'any cell' : foreign.map((c) => c.id).join(', ')} (the frames carry no server timestamp); lateness, gaps, first frame and time to done come from arrival times`,
    );
  if (results.harnessSaturated) lines.push('', `WARNING: the harness was saturated or paused (cells marked !) — their latency figures are harness-affected, not trustworthy. ${results.harnessSaturatedReason ?? ''}`);
  if (results.interrupted) lines.push('', 'interrupted: the results cover the part of the run that finished');
  lines.push('', results.ok ? 'verdict: PASS' : `verdict: FAIL: ${failSummary(results)}`);
  return lines.join('\n');
}
