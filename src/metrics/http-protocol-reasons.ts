// Fail-closed reasons for SSE and polling targets described by `protocol:`: error kinds the HTTP
// clients count when the target's answers do not fit the block, each turned into a reason naming
// the protocol field to fix. Pure: a function of the CellResult.
import type { CellFailure, CellResult } from '../results/types.js';

/** SSE events whose name is none of protocol.sse.event / done / error / ignore: `sse_unexpected_event:<name>`. */
export const SSE_UNEXPECTED_EVENT = 'sse_unexpected_event:';
/** A frame rule matched but protocol.frames.json.data named no payload. */
export const FRAME_WITHOUT_PAYLOAD = 'frame_without_payload';
/** The start answer had no stream id where protocol.start.id points. */
export const START_WITHOUT_ID = 'start_answer_without_protocol.start.id';

const HTTP = new Set(['sse', 'http-poll', 'http-longpoll']);

export function httpProtocolFailures(cell: CellResult): CellFailure[] {
  if (!HTTP.has(String(cell.params.transport)) || cell.protocol === undefined || cell.protocol === 'reference') return [];
  const errs = cell.errorsByKind ?? {};
  const messages = (cell.counts.messagesText ?? 0) + (cell.counts.messagesBinary ?? 0);
  const frames = cell.counts.framesReceived;
  const out: CellFailure[] = [];
  const events = Object.entries(errs).filter(([k]) => k.startsWith(SSE_UNEXPECTED_EVENT));
  const unexpected = events.reduce((n, [, v]) => n + v, 0);
  if (unexpected > 0 && (frames === 0 || unexpected * 2 > messages)) {
    const names = events.map(([k, n]) => `${k.slice(SSE_UNEXPECTED_EVENT.length)}×${n}`).join(', ');
    out.push({
      kind: 'protocol_errors',
      reason: `${unexpected} of ${messages} SSE events had a name protocol.sse does not know (${names}): set protocol.sse.event to the name of the events carrying frames (protocol.sse.done / error / ignore for the others)`,
    });
  }
  const empty = errs[FRAME_WITHOUT_PAYLOAD] ?? 0;
  if (empty > 0 && (frames === 0 || empty * 2 > messages)) {
    out.push({ kind: 'protocol_errors', reason: `${empty} frame messages had no payload at protocol.frames.json.data: point it at the field holding the base64 image` });
  }
  const noId = errs[START_WITHOUT_ID] ?? 0;
  if (noId > 0 && frames === 0) {
    out.push({ kind: 'protocol_errors', reason: `${noId} start answers had no stream id where protocol.start.id points: name the field of the start answer holding the id (e.g. id or job.id)` });
  }
  const polls = Object.entries(errs).filter(([k]) => /^(poll|sse|start)_http_\d+$/.test(k));
  if (polls.length > 0 && frames === 0) {
    const list = polls.map(([k, n]) => `${k}×${n}`).join(', ');
    const field = polls.some(([k]) => k.startsWith('start_')) ? 'protocol.start.url' : cell.params.transport === 'sse' ? 'protocol.sse.url' : 'protocol.poll.url';
    out.push({ kind: 'protocol_errors', reason: `the target answered ${list}: check ${field} (and the ids it carries)` });
  }
  return out;
}
