// One generate request being streamed: absolute-time pacing, one WebSocket message per frame,
// the send-buffer cap (drop and count), and the final done message through its owner.
import type WebSocket from 'ws';
import { HEADER_BYTES, writeHeader, type FrameHeader } from '../protocol/header.js';
import type { Transport } from '../protocol/messages.js';
import type { PreparedFrames } from './frame-source.js';
import { OPCODE_BINARY, OPCODE_TEXT, wsHeaderBytes, writeWsHeader, type RawSink } from './frame-writer.js';
import type { Scheduled } from './scheduler.js';
import type { StatsCounters } from './stats.js';
import { dueTimeUs, sendTimeUs } from './timing.js';

export interface StreamTiming {
  delayUs: number;
  jitterUs: number;
  random: () => number;
}

/** What a stream needs from its connection (or, detached, from the resume registry). */
export interface StreamOwner {
  readonly ws: WebSocket;
  /** Direct socket writes (zero-copy) when available; otherwise frames go through ws.send. */
  readonly sink: RawSink | undefined;
  readonly maxBufferBytes: number;
  readonly stats: StatsCounters;
  /** Messages written to this owner's socket: progress that tells a slow reader from one that does not read. */
  sends: number;
  /** Called once after the last frame of a finite request; the owner sends done. */
  streamFinished(stream: RequestStream): void;
}

const OPEN = 1;
const TEXT = { binary: false } as const;
const JSON_END = Buffer.from('"}', 'latin1');

export class RequestStream implements Scheduled {
  active = true;
  nextSendUs: number;
  /** Frames generated so far (sent or dropped); also the next seq. */
  seq = 0;
  dropped = 0;
  private readonly header: FrameHeader;
  /** base64-json only: `,"width":…,"data":"` after the per-frame fields. */
  protected readonly jsonMiddle: string | undefined;

  constructor(
    protected readonly owner: StreamOwner,
    readonly requestId: number,
    readonly frames: PreparedFrames,
    readonly fps: number,
    /** Frames to generate; 0 = until cancelled. */
    readonly total: number,
    readonly transport: Transport,
    readonly t0Us: number,
    protected readonly timing: StreamTiming,
    /** Client session: with it the stream is resumable after a lost connection. */
    readonly session?: string,
  ) {
    this.header = { format: frames.formatCode, requestId, seq: 0, timeUs: 0, width: frames.width, height: frames.height, payloadBytes: 0 };
    if (transport === 'base64-json') {
      this.jsonMiddle = `,"width":${frames.width},"height":${frames.height},"format":"${frames.format}","data":"`;
      frames.base64();
    }
    this.nextSendUs = this.sendTime(0, -Infinity);
  }

  protected sendTime(seq: number, prevUs: number): number {
    const t = this.timing;
    return sendTimeUs(dueTimeUs(this.t0Us, seq, this.fps), t.delayUs, t.jitterUs, t.jitterUs > 0 ? t.random() : 0, prevUs);
  }

  fire(): boolean {
    const owner = this.owner;
    const ws = owner.ws;
    if (ws.readyState !== OPEN) return false;
    const seq = this.seq;
    const stats = owner.stats;
    if (ws.bufferedAmount > owner.maxBufferBytes) {
      this.dropped++;
      stats.framesDropped++;
    } else {
      stats.framesSent++;
      owner.sends++;
      stats.bytesSent += this.jsonMiddle === undefined ? this.sendBinary(seq) : this.sendJson(seq);
    }
    this.seq = seq + 1;
    if (this.total !== 0 && this.seq >= this.total) {
      this.active = false;
      owner.streamFinished(this);
      return false;
    }
    this.nextSendUs = this.sendTime(this.seq, this.nextSendUs);
    return true;
  }

  /** Sends header + image as one binary message; returns the message size. */
  protected sendBinary(seq: number): number {
    const payload = this.frames.payloads[seq % this.frames.count]!;
    const len = HEADER_BYTES + payload.length;
    const h = this.header;
    h.seq = seq;
    h.timeUs = dueTimeUs(this.t0Us, seq, this.fps);
    h.payloadBytes = payload.length;
    const sink = this.owner.sink;
    if (sink) {
      const pre = wsHeaderBytes(len);
      const head = Buffer.allocUnsafe(pre + HEADER_BYTES);
      writeWsHeader(head, OPCODE_BINARY, len);
      writeHeader(head, h, pre);
      sink.cork();
      sink.write(head);
      sink.write(payload);
      sink.uncork();
    } else {
      const buf = Buffer.allocUnsafe(len);
      writeHeader(buf, h);
      payload.copy(buf, HEADER_BYTES);
      this.owner.ws.send(buf);
    }
    return len;
  }

  /** Sends the frame as a JSON text message with base64 data; returns the message size. */
  protected sendJson(seq: number): number {
    const data = this.frames.base64()[seq % this.frames.count]!;
    const fields = `{"type":"frame","requestId":${this.requestId},"seq":${seq},"timeUs":${dueTimeUs(this.t0Us, seq, this.fps)}${this.jsonMiddle!}`;
    const len = fields.length + data.length + JSON_END.length;
    const sink = this.owner.sink;
    if (sink) {
      const pre = wsHeaderBytes(len);
      const head = Buffer.allocUnsafe(pre + fields.length);
      writeWsHeader(head, OPCODE_TEXT, len);
      head.write(fields, pre, 'latin1');
      sink.cork();
      sink.write(head);
      sink.write(data);
      sink.write(JSON_END);
      sink.uncork();
    } else {
      const buf = Buffer.allocUnsafe(len);
      let off = buf.write(fields, 0, 'latin1');
      off += data.copy(buf, off);
      JSON_END.copy(buf, off);
      this.owner.ws.send(buf, TEXT);
    }
    return len;
  }
}
