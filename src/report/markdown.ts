// Markdown summary of a run, short enough for a PR comment or $GITHUB_STEP_SUMMARY:
// verdict line, one table row per cell, one line per upload cell, then why cells failed and the
// failed (or not measured) thresholds with measured values. Every string that comes from the
// scenario, the target or the server is escaped.
import { browserMarkdownLines } from './browser-rows.js';
import { describeThreshold, thresholdFailed, thresholdStatus } from '../metrics/thresholds.js';
import { shardsMarkdownLines } from './shards-markdown.js';
import { ingestLine } from './ingest-lines.js';
import type { CellResult, Results } from '../results/types.js';
import { driftMarkdownLines } from '../soak/drift-text.js';
import { hopRows } from './hops.js';
import { cellFailureItems, skippedThresholdItems, tally } from './verdict-text.js';
import { transportRows } from './transport-rows.js';
import { orderParamKeys, varyingKeys } from '../text/cell-labels.js';
import { escapeMarkdown } from '../text/markdown.js';

/** Failed thresholds listed before the rest are summarised as "… and N more". */
export const MAX_LISTED_FAILURES = 50;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const ms = (x: number): string => x.toFixed(1);

function duration(startedAt: string, endedAt: string): string | undefined {
  const total = Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000);
  if (!Number.isFinite(total) || total < 0) return undefined;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function verdict(results: Results): string {
  const t = tally(results.cells.flatMap((c) => c.thresholds));
  const mark = results.ok ? '✅ pass' : '❌ fail';
  const failedCells = results.cells.filter((c) => (c.failures ?? []).length > 0).length;
  const cells = failedCells > 0 ? ` (${failedCells} failed)` : '';
  const notMeasured = t.notMeasured > 0 ? ` (${t.notMeasured} not measured)` : '';
  const skipped = t.skipped > 0 ? `, ${t.skipped} skipped` : '';
  const interrupted = results.interrupted ? ' · ⚠️ interrupted' : '';
  const harness = results.harnessSaturated ? ' · ⚠️ harness saturated or paused: latency figures are harness-affected' : '';
  return `**${mark}** · ${plural(results.cells.length, 'cell')}${cells} · ${t.failed + t.notMeasured} of ${plural(t.total, 'threshold')} failed${notMeasured}${skipped}${interrupted}${harness}`;
}

function runLine(results: Results): string {
  const parts = [
    `bench ${escapeMarkdown(results.command)}`,
    `target ${escapeMarkdown(results.environment.target)}${results.environment.embeddedServer ? ' (embedded)' : ''}`,
    duration(results.startedAt, results.endedAt),
    `${escapeMarkdown(results.tool.name)} ${escapeMarkdown(results.tool.version)}`,
    `run ${escapeMarkdown(results.runId)}`,
  ];
  return parts.filter((p): p is string => p !== undefined).join(' · ');
}

const HEADER = ['| Cell | Params | Frame p50 ms | p95 | p99 | First frame p95 | Frames/s | MB/s | Stall ratio | Lost | Errors | Thresholds |', '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|'];

function thresholdMark(cell: CellResult): string {
  const total = cell.thresholds.length;
  const failedCell = (cell.failures ?? []).length > 0;
  if (total === 0) return failedCell ? '❌ cell failed' : '—';
  const passed = cell.thresholds.filter((t) => thresholdStatus(t) === 'pass').length;
  const skipped = cell.thresholds.filter((t) => thresholdStatus(t) === 'skipped').length;
  const bad = cell.thresholds.some(thresholdFailed) || failedCell;
  return `${bad ? '❌' : '✅'} ${passed}/${total}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
}

/** Params the cells differ in or the scenario sweeps (a row shows these), in display order. */
export function sweptParams(results: Results): string[] {
  const sweep = results.scenario?.sweep;
  const axes = sweep && typeof sweep === 'object' && !Array.isArray(sweep) ? Object.keys(sweep) : [];
  return orderParamKeys([...axes, ...varyingKeys(results.cells.map((c) => c.params))]);
}

const paramPairs = (params: Record<string, unknown>, keys: readonly string[]): string =>
  keys
    .filter((k) => params[k] !== undefined)
    .map((k) => `${escapeMarkdown(k)}=${escapeMarkdown(String(params[k]))}`)
    .join(', ');

/** One line with the params every cell shares, so the rows need show only the swept ones. */
function fixedLine(results: Results, swept: readonly string[]): string[] {
  const first = results.cells[0]?.params ?? {};
  const fixed = paramPairs(
    first,
    Object.keys(first).filter((k) => !swept.includes(k)),
  );
  return fixed === '' ? [] : [`Same in every cell: ${fixed}`, ''];
}

function row(cell: CellResult, swept: readonly string[]): string {
  const { frame, firstFrame } = cell.latencyMs;
  const params = paramPairs(cell.params, swept) || '—';
  const id = cell.repeat === undefined ? cell.id : `${cell.id} #${cell.repeat}`;
  const cols = [
    escapeMarkdown(id),
    params,
    ms(frame.p50),
    ms(frame.p95),
    ms(frame.p99),
    ms(firstFrame.p95),
    cell.throughput.framesPerSec.toFixed(1),
    (cell.throughput.bytesPerSec / 1e6).toFixed(2),
    cell.playback ? `${(cell.playback.stallRatio * 100).toFixed(2)}%` : '—',
    String(cell.counts.framesLost),
    String(cell.counts.errors),
    thresholdMark(cell),
  ];
  return `| ${cols.join(' | ')} |`;
}

function capped(lines: string[]): string[] {
  const shown = lines.slice(0, MAX_LISTED_FAILURES);
  if (lines.length > shown.length) shown.push(`- … and ${lines.length - shown.length} more`);
  return shown;
}

function cellFailures(results: Results): string[] {
  const lines = cellFailureItems(results).map((f) => `- **${escapeMarkdown(f.where)}**: ${escapeMarkdown(f.text)}`);
  return lines.length === 0 ? [] : ['', '#### Failed cells', '', ...capped(lines)];
}

function failures(results: Results): string[] {
  const lines = results.cells.flatMap((cell) => cell.thresholds.filter(thresholdFailed).map((t) => `- **${escapeMarkdown(cell.id)}**: ${escapeMarkdown(describeThreshold(t))}`));
  return lines.length === 0 ? [] : ['', '#### Failed thresholds', '', ...capped(lines)];
}

function skipped(results: Results): string[] {
  const lines = skippedThresholdItems(results)
    .filter((i) => i.where !== 'soak')
    .map((i) => `- **${escapeMarkdown(i.where)}**: ${escapeMarkdown(i.text)}`);
  return lines.length === 0 ? [] : ['', '#### Skipped thresholds (optional, not measured)', '', ...capped(lines)];
}

/** One line over every cell with chaos: faults, worst recovery (and how many never recovered), frames lost by kind. */
function chaosLine(results: Results): string[] {
  const sums = results.cells.flatMap((c) => (c.chaos ? [c.chaos] : []));
  if (sums.length === 0) return [];
  const faults = sums.reduce((n, s) => n + s.faults.length, 0);
  const unrecovered = sums.reduce((n, s) => n + s.unrecovered, 0);
  const notMeasured = sums.reduce((n, s) => n + (s.notMeasured ?? 0), 0);
  const worst = Math.max(...sums.map((s) => s.recoverSec.max ?? -1));
  const lost: Record<string, number> = {};
  for (const s of sums) for (const [k, n] of Object.entries(s.lossByKind)) lost[k] = (lost[k] ?? 0) + n;
  const byKind = Object.entries(lost)
    .map(([k, n]) => `${escapeMarkdown(k)} ${n}`)
    .join(', ');
  const parts = [
    plural(faults, 'fault'),
    worst >= 0 ? `worst recovery ${worst}s` : undefined,
    unrecovered > 0 ? `⚠️ ${unrecovered} not recovered` : undefined,
    notMeasured > 0 ? `⚠️ ${notMeasured} not measured (0 frames/s before the fault)` : undefined,
  ];
  return [`**Chaos:** ${[...parts, `frames lost by kind: ${byKind || '—'}`].filter(Boolean).join(' · ')}`, ''];
}

/** The transport comparison, when the run varies transport or connection. */
function transportLines(results: Results): string[] {
  const rows = transportRows(results);
  if (rows.length === 0) return [];
  const n = (v: number | undefined, d = 3): string => (v === undefined ? '—' : String(Math.round(v * 10 ** d) / 10 ** d));
  return [
    '',
    '#### Transports',
    '',
    '| cell | transport | connection | bytes/frame | vs binary | p50 ms | p99 ms | first frame p50 ms | first frame p99 ms | connects/request | connect p99 ms | requests/frame | client CPU ms/frame | server CPU ms/frame |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${escapeMarkdown(r.cell)} | ${escapeMarkdown(r.transport)} | ${escapeMarkdown(r.connection ?? 'reuse')} | ${r.bytesPerFrame} | ${n(r.vsBinary)} | ${n(r.p50, 1)} | ${n(r.p99, 1)} | ${n(r.firstFrameP50, 1)} | ${n(r.firstFrameP99, 1)} | ${n(r.connectsPerRequest, 2)} | ${n(r.connectP99, 1)} | ${n(r.requestsPerFrame)} | ${n(r.clientCpuMsPerFrame)} | ${n(r.serverCpuMsPerFrame)} |`,
    ),
  ];
}

/** Per-hop latency table for runs through a gateway topology. */
function hopLines(results: Results): string[] {
  const rows = hopRows(results.cells);
  if (rows.length === 0) return [];
  const lines = ['', '#### Per-hop latency', '', '| Cell | Hop | p50 ms | p95 | p99 | max | Samples |', '|---|---|--:|--:|--:|--:|--:|'];
  for (const r of rows) {
    const s = r.summary;
    lines.push(`| ${escapeMarkdown(r.cell)} | ${r.hop} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.count} |`);
  }
  return lines;
}

/** Renders the run summary; MB = 10^6 bytes, latencies in ms. */
export function renderMarkdown(results: Results): string {
  const name = typeof results.scenario.name === 'string' ? `: ${escapeMarkdown(results.scenario.name)}` : '';
  const lines = [`### framebench${name}`, '', verdict(results), '', runLine(results), ''];
  lines.push(...shardsMarkdownLines(results, escapeMarkdown), ...driftMarkdownLines(results.soak, escapeMarkdown), ...chaosLine(results));
  if (results.cells.length === 0) lines.push('_No cells ran._');
  else {
    const swept = sweptParams(results);
    lines.push(...fixedLine(results, swept), ...HEADER, ...results.cells.map((c) => row(c, swept)));
  }
  lines.push(...transportLines(results));
  lines.push(...hopLines(results));
  lines.push(...browserMarkdownLines(results, escapeMarkdown));
  const ingest = results.cells.map(ingestLine).filter((l): l is string => l !== undefined);
  if (ingest.length) lines.push('', '#### Upload cells', '', ...ingest.map((l) => `- ${escapeMarkdown(l)}`));
  lines.push(...cellFailures(results), ...failures(results), ...skipped(results));
  return `${lines.join('\n')}\n`;
}
