// The ingest wire format, both directions, on one WebSocket per camera.
//
// Camera → server, one message per frame, either
//   text   {"type":"frame","seq":N,"capturedAt":MS,"format":"jpeg","width":W,"height":H,"data":"<base64>"}
//   binary 16-byte header (0xFB, version 1, 2 reserved bytes, u32 seq, f64 capturedAt ms, big-endian) + image
// and {"type":"end"} when the camera stops: the server answers what it still holds, then sends done.
//
// Server → camera: ack (frame buffered), answer (a model answer covering some frames), dropped
// (frames the server will never answer, with the reason), error (a limit was hit; seq names the
// frame it cost) and done (the server's own count for this connection).
// Numeric fields of a text frame are padded with spaces so one template buffer serves every send.

import { DEFAULT_WIRE, frameJsonParts, type WireShape } from './wire-shape.js';

export const BINARY_MAGIC = 0xfb;
export const BINARY_VERSION = 1;
export const BINARY_HEADER_BYTES = 16;

export type DropReason = 'buffer_overflow' | 'model_failed' | 'rate_limited' | 'frame_too_large' | 'bad_frame' | 'shutdown';
export const DROP_REASONS: readonly DropReason[] = ['buffer_overflow', 'model_failed', 'rate_limited', 'frame_too_large', 'bad_frame', 'shutdown'];

export interface AckMessage {
  type: 'ack';
  seq: number;
  /** Frames buffered on this connection after this one was added. */
  depth: number;
}

export interface AnswerMessage {
  type: 'answer';
  batch: number;
  seqs: number[];
  text: string;
  /** Characters of previous answers sent with this request (temporal context). */
  contextChars: number;
  /** Previous answers carried in that context. */
  contextAnswers: number;
  /** Model API time of the successful call, ms. */
  modelMs: number;
  /** Retries before it succeeded (429s, 5xx, network). */
  retries: number;
  /** Frames still buffered on the connection when the batch was taken. */
  bufferDepth: number;
}

export interface DroppedMessage {
  type: 'dropped';
  seqs: number[];
  reason: DropReason;
  detail?: string;
}

export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
  seq?: number;
}

export interface DoneMessage {
  type: 'done';
  received: number;
  covered: number;
  dropped: number;
  droppedByReason: Partial<Record<DropReason, number>>;
}

export type IngestServerMessage = AckMessage | AnswerMessage | DroppedMessage | ErrorMessage | DoneMessage;

export interface UploadFrame {
  seq: number;
  capturedAtMs: number;
  /** Base64 text for JSON frames; the server never decodes it, it forwards it to the model. */
  base64?: string;
  image?: Buffer;
  /** Bytes of the image itself (decoded size). */
  imageBytes: number;
  format: string;
}

const SEQ_WIDTH = 10;
const TIME_WIDTH = 17;

function padNumber(value: string, width: number): string {
  return value.length >= width ? value : ' '.repeat(width - value.length) + value;
}

/**
 * A reusable text-frame template: the JSON of one frame with fixed-width seq and capturedAt fields.
 * `fill` writes them in place; the caller sends the buffer before the next fill (ws copies it while masking).
 */
export class JsonFrameTemplate {
  readonly buffer: Buffer;
  private readonly seqAt: number;
  private readonly timeAt: number;

  constructor(base64: string, format: string, width: number, height: number, shape: WireShape = DEFAULT_WIRE) {
    const seqPad = '\u0001'.repeat(SEQ_WIDTH);
    const timePad = '\u0002'.repeat(TIME_WIDTH);
    const { head, tail } = frameJsonParts(shape, format, width, height, seqPad, timePad);
    this.seqAt = Buffer.byteLength(head.slice(0, head.indexOf(seqPad)), 'utf8');
    this.timeAt = Buffer.byteLength(head.slice(0, head.indexOf(timePad)), 'utf8');
    this.buffer = Buffer.from(`${head.replace(seqPad, ' '.repeat(SEQ_WIDTH)).replace(timePad, ' '.repeat(TIME_WIDTH))}${base64}${tail}`, 'utf8');
  }

  fill(seq: number, capturedAtMs: number): Buffer {
    this.buffer.write(padNumber(String(seq), SEQ_WIDTH), this.seqAt, 'latin1');
    this.buffer.write(padNumber(capturedAtMs.toFixed(3), TIME_WIDTH), this.timeAt, 'latin1');
    return this.buffer;
  }
}

/** A reusable binary-frame template: header + image; `fill` writes seq and capturedAt. */
export class BinaryFrameTemplate {
  readonly buffer: Buffer;

  constructor(image: Buffer) {
    this.buffer = Buffer.allocUnsafe(BINARY_HEADER_BYTES + image.length);
    this.buffer[0] = BINARY_MAGIC;
    this.buffer[1] = BINARY_VERSION;
    this.buffer.writeUInt16BE(0, 2);
    image.copy(this.buffer, BINARY_HEADER_BYTES);
  }

  fill(seq: number, capturedAtMs: number): Buffer {
    this.buffer.writeUInt32BE(seq >>> 0, 4);
    this.buffer.writeDoubleBE(capturedAtMs, 8);
    return this.buffer;
  }
}

export class WireError extends Error {}

/** Parses a frame (text or binary) on the server; throws WireError naming what is wrong. */
export function parseUploadFrame(data: Buffer, isBinary: boolean): UploadFrame | { type: 'end' } {
  if (isBinary) {
    if (data.length < BINARY_HEADER_BYTES || data[0] !== BINARY_MAGIC || data[1] !== BINARY_VERSION) {
      throw new WireError(`binary frame must start with the ${BINARY_HEADER_BYTES}-byte header (0xfb, version ${BINARY_VERSION}, u16 0, u32 seq, f64 capturedAt ms)`);
    }
    const image = data.subarray(BINARY_HEADER_BYTES);
    return { seq: data.readUInt32BE(4), capturedAtMs: data.readDoubleBE(8), image, imageBytes: image.length, format: 'binary' };
  }
  let msg: unknown;
  try {
    msg = JSON.parse(data.toString('latin1'));
  } catch {
    throw new WireError('text message is not JSON; expected {"type":"frame","seq":N,"capturedAt":MS,"data":"<base64>"} or {"type":"end"}');
  }
  const m = msg as Record<string, unknown>;
  if (m.type === 'end') return { type: 'end' };
  if (m.type !== 'frame' || typeof m.data !== 'string' || typeof m.seq !== 'number' || !Number.isInteger(m.seq) || m.seq < 0) {
    throw new WireError('expected {"type":"frame","seq":<integer ≥ 0>,"capturedAt":<epoch ms>,"data":"<base64>"}');
  }
  const b64 = m.data;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return {
    seq: m.seq,
    capturedAtMs: typeof m.capturedAt === 'number' ? m.capturedAt : 0,
    base64: b64,
    imageBytes: Math.max(0, Math.floor((b64.length * 3) / 4) - padding),
    format: typeof m.format === 'string' ? m.format : 'jpeg',
  };
}

/** Reads a server message through the shape: a custom answer becomes an `answer`; the rest keep their type. */
export function readServerMessage(msg: Record<string, unknown>, shape: WireShape): IngestServerMessage | undefined {
  const type = msg[shape.typeField];
  if (type === shape.answerType) {
    const raw = msg[shape.answerSeqsField];
    const seqs = Array.isArray(raw) ? raw.filter((x): x is number => typeof x === 'number') : typeof raw === 'number' ? [raw] : [];
    return { ...(msg as object), type: 'answer', seqs } as IngestServerMessage;
  }
  if (type === 'ack' || type === 'dropped' || type === 'error' || type === 'done') return { ...(msg as object), type } as IngestServerMessage;
  return undefined;
}

/** Parses a server message on the client; undefined for anything it does not know (counted by the caller). */
export function parseServerMessage(text: string, shape: WireShape = DEFAULT_WIRE): IngestServerMessage | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
  return readServerMessage(msg as Record<string, unknown>, shape);
}
