// Frame envelopes on the gateway: the JSON base64 frame of a generator's `--envelope json` turned
// into a reference binary frame, and a binary frame turned into the base64-json client transport.
import { formatCode, formatName, HEADER_BYTES, readTimeUs, writeHeader, type FrameFormat } from '../../protocol/header.js';
import type { FrameMessage } from '../../protocol/messages.js';

const KNOWN = new Set<string>(['webp', 'jpeg', 'png']);

/** The 32-byte-header frame of a JSON-envelope message, or undefined when it is not a frame. */
export function frameOfJson(m: Partial<FrameMessage>): Buffer | undefined {
  if (typeof m.data !== 'string' || typeof m.seq !== 'number' || !Number.isInteger(m.seq) || typeof m.timeUs !== 'number') return undefined;
  if (m.format !== undefined && !KNOWN.has(m.format)) return undefined;
  const payload = Buffer.from(m.data, 'base64');
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  const fmt = (m.format ?? 'webp') as FrameFormat;
  writeHeader(buf, { format: formatCode(fmt), requestId: m.requestId ?? 0, seq: m.seq, timeUs: m.timeUs, width: m.width ?? 0, height: m.height ?? 0, payloadBytes: payload.length });
  payload.copy(buf, HEADER_BYTES);
  return buf;
}

/** The base64-json client message of a binary frame. */
export function jsonFrameOf(frame: Buffer, seq: number, requestId: number): string {
  const fmt = formatName(frame[3]!) ?? 'webp';
  return `{"type":"frame","requestId":${requestId},"seq":${seq},"timeUs":${readTimeUs(frame)},"width":${frame.readUInt16BE(20)},"height":${frame.readUInt16BE(22)},"format":"${fmt}","data":"${frame.subarray(HEADER_BYTES).toString('base64')}"}`;
}
