// Validates inbound JSON control messages; every rejection names the field and what is allowed.
import { parseResolution, RESOLUTION_HELP } from '../frames/resolution.js';
import type { FrameFormat } from '../protocol/header.js';
import { ERROR_CODES, type ErrorMessage, type Transport } from '../protocol/messages.js';
import { clip, excerpt } from '../text/sanitize.js';

export interface ValidGenerate {
  type: 'generate';
  requestId: number;
  format: FrameFormat;
  width: number;
  height: number;
  quality: number;
  fps: number;
  frames: number;
  transport: Transport;
  session?: string;
}

export interface ValidResume {
  type: 'resume';
  session: string;
  requestId: number;
  lastSeq: number;
}

export type ParsedMessage = ValidGenerate | ValidResume | { type: 'cancel'; requestId: number } | { type: 'clock'; t0: number } | ErrorMessage;

const FORMATS: readonly string[] = ['webp', 'jpeg', 'png'];
const TRANSPORTS: readonly string[] = ['binary', 'base64-json'];
const MAX_FPS = 1000;
const MAX_FRAMES = 2 ** 32 - 1;
const MAX_SESSION_CHARS = 256;
const TYPES = ['generate', 'cancel', 'clock', 'resume'];

function bad(message: string, requestId?: number): ErrorMessage {
  return requestId === undefined ? { type: 'error', code: ERROR_CODES.badRequest, message } : { type: 'error', code: ERROR_CODES.badRequest, message, requestId };
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isSession(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_SESSION_CHARS;
}

const SESSION_HELP = `must be a non-empty string of at most ${MAX_SESSION_CHARS} characters`;

function parseGenerate(m: Record<string, unknown>, requestId: number): ParsedMessage {
  const { format, resolution, quality, fps, frames, session } = m;
  const transport = m.transport ?? 'binary';
  if (typeof format !== 'string' || !FORMATS.includes(format)) {
    return bad(`format: unknown format ${excerpt(format)}; allowed: ${FORMATS.join(', ')}`, requestId);
  }
  const dims = typeof resolution === 'string' ? parseResolution(resolution) : undefined;
  if (!dims) return bad(`resolution: unknown resolution ${excerpt(resolution)}; allowed: ${RESOLUTION_HELP}`, requestId);
  if (!isInt(quality, 1, 100)) return bad(`quality: must be an integer from 1 to 100 (got ${excerpt(quality)})`, requestId);
  if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0 || fps > MAX_FPS) {
    return bad(`fps: must be a number above 0 and at most ${MAX_FPS} (got ${excerpt(fps)})`, requestId);
  }
  if (!isInt(frames, 0, MAX_FRAMES)) {
    return bad(`frames: must be an integer >= 0, 0 streams until cancelled (got ${excerpt(frames)})`, requestId);
  }
  if (typeof transport !== 'string' || !TRANSPORTS.includes(transport)) {
    return bad(`transport: unknown transport ${excerpt(transport)}; allowed: ${TRANSPORTS.join(', ')}`, requestId);
  }
  if (session !== undefined && !isSession(session)) return bad(`session: ${SESSION_HELP} (got ${excerpt(session)})`, requestId);
  const valid: ValidGenerate = {
    type: 'generate',
    requestId,
    format: format as FrameFormat,
    width: dims.width,
    height: dims.height,
    quality,
    fps,
    frames,
    transport: transport as Transport,
  };
  if (session !== undefined) valid.session = session;
  return valid;
}

function parseResume(m: Record<string, unknown>, requestId: number): ParsedMessage {
  if (!isSession(m.session)) return bad(`session: ${SESSION_HELP} (got ${excerpt(m.session)})`, requestId);
  if (!isInt(m.lastSeq, -1, MAX_FRAMES)) return bad(`lastSeq: must be an integer >= -1, -1 for none (got ${excerpt(m.lastSeq)})`, requestId);
  return { type: 'resume', session: m.session, requestId, lastSeq: m.lastSeq };
}

/** Control messages are flat objects; deeper nesting is refused before JSON.parse spends time on it. */
const MAX_MESSAGE_NESTING = 8;

/** True when brackets outside strings nest deeper than `limit` (an O(n) scan, no allocation). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses one text message from a client. */
export function parseClientMessage(text: string): ParsedMessage {
  if (nestsDeeperThan(text, MAX_MESSAGE_NESTING)) return bad(`message nested more than ${MAX_MESSAGE_NESTING} levels deep; control messages are flat JSON objects`);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    return { type: 'error', code: ERROR_CODES.badJson, message: `invalid JSON: ${clip((err as Error).message, 120)}` };
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return bad('message must be a JSON object');
  const msg = m as Record<string, unknown>;
  const type = msg.type;
  if (type === 'clock') {
    if (typeof msg.t0 !== 'number' || !Number.isFinite(msg.t0)) return bad('t0: must be a number (µs since the Unix epoch)');
    return { type: 'clock', t0: msg.t0 };
  }
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    return {
      type: 'error',
      code: ERROR_CODES.unknownType,
      message: `type: unknown message type ${excerpt(type)}; allowed: ${TYPES.join(', ')}`,
    };
  }
  if (!isInt(msg.requestId, 0, 2 ** 32 - 1)) {
    return bad(`requestId: must be an integer from 0 to 4294967295 (got ${excerpt(msg.requestId)})`);
  }
  if (type === 'cancel') return { type: 'cancel', requestId: msg.requestId };
  return type === 'resume' ? parseResume(msg, msg.requestId) : parseGenerate(msg, msg.requestId);
}
