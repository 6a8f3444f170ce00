// Plain-text summary table of a run for the terminal.
import type { CellResult, Results } from '../metrics/results-types.js';
import { ingestLine } from './ingest-lines.js';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const f1 = (x: number): string => x.toFixed(1);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

function row(c: CellResult): string[] {
  const l = c.latencyMs;
  return [
    c.repeat ? `${c.id}#${c.repeat}` : c.id,
    String(c.params.clients),
    f1(c.throughput.framesPerSec),
    mb(c.throughput.bytesPerSec),
    f1(l.frame.p50),
    f1(l.frame.p95),
    f1(l.frame.p99),
    f1(l.frame.max),
    f1(l.connect.p99),
    f1(l.firstFrame.p99),
    `${c.counts.framesLost}/${c.counts.framesDuplicated}`,
    String(c.counts.errors),
  ];
}

export function summaryTable(results: Results): string {
  const headers = ['cell', 'clients', 'frames/s', 'MB/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'connect p99', 'first frame p99', 'lost/dup', 'errors'];
  const lines = [table(headers, results.cells.map(row))];
  const ingest = results.cells.map(ingestLine).filter((l): l is string => l !== undefined);
  if (ingest.length) lines.push('', 'upload cells (frames/s = answered for; p50–max = capture → answer; first frame = first answer):', ...ingest.map((l) => `  ${l}`));
  const failed = results.cells.flatMap((c) => c.thresholds.filter((t) => !t.ok).map((t) => `  ✗ ${c.id}: ${t.expr} (measured ${t.value ?? 'n/a'})`));
  const total = results.cells.reduce((n, c) => n + c.thresholds.length, 0);
  if (total > 0) lines.push('', failed.length ? `thresholds: ${failed.length} of ${total} failed\n${failed.join('\n')}` : `thresholds: all ${total} passed`);
  const errors = results.cells.flatMap((c) => Object.entries(c.errorsByKind).map(([k, n]) => `${c.id}: ${k} ×${n}`));
  if (errors.length) lines.push('', `errors: ${errors.join(', ')}`);
  if (results.harnessSaturated) lines.push('', `WARNING: the harness was saturated — latency figures are not trustworthy. ${results.harnessSaturatedReason ?? ''}`);
  if (results.interrupted) lines.push('', 'interrupted: the results cover the part of the run that finished');
  return lines.join('\n');
}
