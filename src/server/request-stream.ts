// One generate request being streamed: absolute-time pacing, frame encoding into one message,
// send-buffer cap (drop and count), and the final done message.
import type WebSocket from 'ws';
import { HEADER_BYTES, writeHeader, type FrameHeader } from '../protocol/header.js';
import type { Transport } from '../protocol/messages.js';
import type { PreparedFrames } from './frame-source.js';
import type { Scheduled } from './scheduler.js';
import type { StatsCounters } from './stats.js';
import { dueTimeUs, sendTimeUs } from './timing.js';

export interface StreamTiming {
  delayUs: number;
  jitterUs: number;
  random: () => number;
}

/** What a stream needs from its connection. */
export interface StreamOwner {
  readonly ws: WebSocket;
  readonly maxBufferBytes: number;
  readonly stats: StatsCounters;
  /** Called once after the last frame of a finite request; the owner sends done. */
  streamFinished(stream: RequestStream): void;
}

const OPEN = 1;
const TEXT = { binary: false } as const;

export class RequestStream implements Scheduled {
  active = true;
  nextSendUs: number;
  /** Frames generated so far (sent or dropped). */
  seq = 0;
  dropped = 0;
  private readonly header: FrameHeader;
  private readonly jsonTail: Buffer | undefined;

  constructor(
    private readonly owner: StreamOwner,
    readonly requestId: number,
    private readonly frames: PreparedFrames,
    private readonly fps: number,
    /** Frames to generate; 0 = until cancelled. */
    private readonly total: number,
    transport: Transport,
    readonly t0Us: number,
    private readonly timing: StreamTiming,
  ) {
    this.header = {
      format: frames.formatCode,
      requestId,
      seq: 0,
      timeUs: 0,
      width: frames.width,
      height: frames.height,
      payloadBytes: 0,
    };
    this.jsonTail =
      transport === 'base64-json'
        ? Buffer.from(`,"width":${frames.width},"height":${frames.height},"format":"${frames.format}","data":"`, 'latin1')
        : undefined;
    if (this.jsonTail) frames.base64();
    this.nextSendUs = this.sendTime(0, -Infinity);
  }

  private sendTime(seq: number, prevUs: number): number {
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
      let msg: Buffer;
      if (this.jsonTail) ws.send((msg = this.jsonFrame(seq)), TEXT);
      else ws.send((msg = this.binaryFrame(seq)));
      stats.framesSent++;
      stats.bytesSent += msg.length;
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

  private binaryFrame(seq: number): Buffer {
    const payload = this.frames.payloads[seq % this.frames.count]!;
    const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    const h = this.header;
    h.seq = seq;
    h.timeUs = dueTimeUs(this.t0Us, seq, this.fps);
    h.payloadBytes = payload.length;
    writeHeader(buf, h);
    payload.copy(buf, HEADER_BYTES);
    return buf;
  }

  private jsonFrame(seq: number): Buffer {
    const data = this.frames.base64()[seq % this.frames.count]!;
    const tail = this.jsonTail!;
    const head = `{"type":"frame","requestId":${this.requestId},"seq":${seq},"timeUs":${dueTimeUs(this.t0Us, seq, this.fps)}`;
    const buf = Buffer.allocUnsafe(head.length + tail.length + data.length + 2);
    let off = buf.write(head, 0, 'latin1');
    off += tail.copy(buf, off);
    off += data.copy(buf, off);
    buf[off] = 0x22;
    buf[off + 1] = 0x7d;
    return buf;
  }
}
