// Whether a cell measured anything at all, independent of thresholds (fail closed): a cell that
// received no frames, completed no request, or could not read most of the target's messages has
// failed, with a reason a user can act on; a run is ok when it has cells and every one is. Pure.
//
// Error kinds starting with `bad_` are counted once per message the client could not read
// (bad_frame: a binary message without a framebench header; bad_json_from_server: a text message
// that is not JSON); they are compared with the binary and text messages received.
import { browserFailures } from './browser-metrics.js';
import type { CellFailure, CellResult, Results } from '../results/types.js';
import { httpProtocolFailures } from './http-protocol-reasons.js';
import { ingestCellFailures } from './ingest-verdict.js';
import { framesMeasured } from './threshold-samples.js';
import { evaluateThresholds, thresholdFailed, type ThresholdSpec } from './thresholds.js';

export const UNREADABLE_PREFIX = 'bad_';
const BINARY_KIND = 'bad_frame';
const TEXT_KIND = 'bad_json_from_server';
const README = 'see `protocol:` in the README';
/** Messages a protocol adapter could not place (declarative rules, protocol modules). */
const ADAPTER_KINDS = ['unrecognized_message', 'protocol_module_threw'];
const isAdapter = (cell: CellResult): boolean => cell.protocol !== undefined && cell.protocol !== 'reference';

export interface VerdictContext {
  /** The run was interrupted (Ctrl-C) while or before this cell ran. */
  interrupted?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const sec = (x: number): string => `${Number(x.toFixed(1))} s`;

/** "bad_frame×300, server_busy×2" (largest first, at most 5 kinds). */
function errorList(errorsByKind: Record<string, number>): string {
  const list = Object.entries(errorsByKind).sort((a, b) => b[1] - a[1]);
  const shown = list.slice(0, 5).map(([k, n]) => `${k}×${n}`);
  if (list.length > shown.length) shown.push(`${list.length - shown.length} more kinds`);
  return shown.join(', ');
}

/** Most (more than half) of the binary or text messages were unreadable. */
function protocolFailures(cell: CellResult): CellFailure[] {
  const errs = cell.errorsByKind ?? {};
  const binary = cell.counts.messagesBinary ?? 0;
  const text = cell.counts.messagesText ?? 0;
  const badBinary = errs[BINARY_KIND] ?? 0;
  const badText = errs[TEXT_KIND] ?? 0;
  const out: CellFailure[] = [];
  if (binary > 0 && badBinary * 2 > binary) {
    out.push({
      kind: 'protocol_errors',
      reason: `${binary - Math.min(badBinary, binary)} of ${plural(binary, 'binary message')} carried a framebench header: the target does not speak the reference protocol; ${README}`,
    });
  }
  if (text > 0 && badText * 2 > text) {
    out.push({ kind: 'protocol_errors', reason: `${Math.min(badText, text)} of ${plural(text, 'text message')} from the target were not JSON: the target does not speak the reference protocol; ${README}` });
  }
  const unplaced = ADAPTER_KINDS.reduce((n, k) => n + (errs[k] ?? 0), 0);
  if (binary + text > 0 && unplaced * 2 > binary + text) {
    out.push({
      kind: 'protocol_errors',
      reason: `${unplaced} of ${plural(binary + text, 'message')} matched no rule of the ${cell.protocol ?? 'declarative'} protocol (${errorList(Object.fromEntries(ADAPTER_KINDS.filter((k) => errs[k]).map((k) => [k, errs[k] as number])))}); describe them in \`protocol:\` (frames, done, error, ignore) — \`bench probe URL --scenario FILE\` shows what the server sends; ${README}`,
    });
  }
  const other = Object.entries(errs).filter(([k]) => k.startsWith(UNREADABLE_PREFIX) && k !== BINARY_KIND && k !== TEXT_KIND);
  const otherCount = other.reduce((n, [, v]) => n + v, 0);
  if (binary + text > 0 && otherCount * 2 > binary + text) {
    out.push({ kind: 'protocol_errors', reason: `${otherCount} of ${plural(binary + text, 'message')} could not be read (${errorList(Object.fromEntries(other))}); ${README}` });
  }
  return out;
}

function noFramesReason(cell: CellResult): string {
  const c = cell.counts;
  const errors = Object.keys(cell.errorsByKind ?? {}).length ? `; errors: ${errorList(cell.errorsByKind)}` : '';
  const messages = (c.messagesBinary ?? 0) + (c.messagesText ?? 0);
  const heard = messages > 0 ? `${plural(c.messagesBinary ?? 0, 'binary message')} and ${plural(c.messagesText ?? 0, 'text message')} arrived, none a frame` : 'the target sent nothing';
  const hint = isAdapter(cell) ? "check the `protocol:` block's request template and frames rules (`bench probe URL` shows what the server sends)" : 'check that the target streams frames for the request framebench sends';
  return `received no frames in ${sec(cell.durationSec)} of measurement over ${plural(c.connects, 'connection')} (${heard}${errors}); ${hint}`;
}

function noCompletedReason(cell: CellResult, interrupted: boolean): string {
  const c = cell.counts;
  if (isAdapter(cell) && !interrupted) {
    const errors = Object.keys(cell.errorsByKind ?? {}).length ? ` (errors: ${errorList(cell.errorsByKind)})` : '';
    return `${plural(c.requests, 'request')} started, none completed${errors}; check the \`protocol:\` block's done matcher (done: { match, requestId }) or end: { frames: true } for servers that send no done — \`bench probe URL --scenario FILE\` shows what the server sends`;
  }
  const errors = Object.keys(cell.errorsByKind ?? {}).length ? ` (errors: ${errorList(cell.errorsByKind)})` : '';
  if (interrupted) return `interrupted before any request completed (${plural(c.requests, 'request')} started)`;
  if (c.requests === 0) {
    const fpr = cell.params.framesPerRequest;
    const fps = Number(cell.params.fps);
    const window = `no request was started during the ${sec(cell.durationSec)} measurement window`;
    if (typeof fpr === 'number' && fps > 0) {
      const length = fpr / fps;
      if (length >= cell.durationSec) return `${window}: a request of ${fpr} frames at ${fps} fps takes ${sec(length)}; lengthen \`duration\` or lower \`framesPerRequest\``;
      return `${window}, though a request of ${fpr} frames at ${fps} fps takes ${sec(length)}: the requests sent before it never ended${errors}; check that the target ends each stream with a done message carrying framebench's request id, or see \`protocol:\` in the README`;
    }
    return `${window}${errors}: check that the target ends each stream with a done message carrying framebench's request id`;
  }
  return `${plural(c.requests, 'request')} started, none completed with a done message${errors}; check that the target ends each stream and answers framebench's request id`;
}

/** Reasons the cell failed on its own; empty when it measured something usable. */
export function cellFailures(cell: CellResult, ctx: VerdictContext = {}): CellFailure[] {
  if (cell.ingest) return ingestCellFailures(cell, ctx.interrupted === true);
  const c = cell.counts;
  const frames = Math.max(framesMeasured(cell), c.framesReceived ?? 0);
  if (ctx.interrupted && frames === 0 && (c.requests ?? 0) === 0) {
    return [{ kind: 'interrupted_empty', reason: 'interrupted before anything was measured: no frame received, no request followed to its end' }];
  }
  const out = [...protocolFailures(cell), ...httpProtocolFailures(cell)];
  if (frames === 0) out.push({ kind: 'no_frames', reason: noFramesReason(cell) });
  if ((c.requestsCompleted ?? 0) === 0) out.push({ kind: 'no_completed_request', reason: noCompletedReason(cell, ctx.interrupted === true) });
  out.push(...browserFailures(cell));
  return out;
}

/** A cell's whole verdict: its thresholds evaluated, its failures found, `ok` set. Runs, upload runs and merges share it. */
export function judgeCell(cell: CellResult, specs: readonly ThresholdSpec[], interrupted: boolean): void {
  cell.thresholds = evaluateThresholds(specs, cell);
  const failures = cellFailures(cell, { interrupted });
  if (failures.length > 0) cell.failures = failures;
  else delete cell.failures;
  cell.ok = failures.length === 0 && !cell.thresholds.some(thresholdFailed);
}

/** Every cell ok, and at least one cell: a run that measured nothing never passes. */
export function overallOk(cells: readonly CellResult[]): boolean {
  return cells.length > 0 && cells.every((c) => c.ok !== false);
}

/** Adds a judged cell to the run's results: the run's `ok` and harness verdict follow. */
export function addCell(results: Results, cell: CellResult): void {
  results.cells.push(cell);
  results.ok = overallOk(results.cells);
  const saturated = results.cells.filter((c) => c.harnessSaturated);
  if (saturated.length) {
    results.harnessSaturated = true;
    results.harnessSaturatedReason = saturated.map((c) => `${c.id}: ${c.harness?.reason ?? ''}`).join(' · ');
  }
}
