// Server-Sent Events transport: GET /sse?format=…&fps=…&frames=… streams one request as
// `event: frame` messages whose `data:` line is the base64-json frame (the same fields as the
// WebSocket JSON transport), then `event: done` and the end of the response. Paced by the shared
// frame scheduler; over the connection's send-buffer cap frames are dropped and counted.
import type { ServerResponse } from 'node:http';
import { dueTimeUs, sendTimeUs } from '../timing.js';
import type { PreparedFrames } from '../frame-source.js';
import type { Scheduled } from '../scheduler.js';
import type { StatsCounters } from '../stats.js';
import type { StreamTiming } from '../request-stream.js';

const EVENT_END = Buffer.from('"}\n\n', 'latin1');

export class SseStream implements Scheduled {
  active = true;
  nextSendUs: number;
  seq = 0;
  dropped = 0;
  private readonly middle: string;

  constructor(
    private readonly res: ServerResponse,
    readonly requestId: number,
    private readonly frames: PreparedFrames,
    private readonly fps: number,
    /** 0 = until the client goes away. */
    private readonly total: number,
    private readonly t0Us: number,
    private readonly timing: StreamTiming,
    private readonly stats: StatsCounters,
    private readonly maxBufferBytes: number,
    private readonly onEnd: (stream: SseStream) => void,
  ) {
    this.middle = `,"width":${frames.width},"height":${frames.height},"format":"${frames.format}","data":"`;
    frames.base64();
    this.nextSendUs = this.sendTime(0, -Infinity);
  }

  private sendTime(seq: number, prevUs: number): number {
    const t = this.timing;
    return sendTimeUs(dueTimeUs(this.t0Us, seq, this.fps), t.delayUs, t.jitterUs, t.jitterUs > 0 ? t.random() : 0, prevUs);
  }

  fire(): boolean {
    const res = this.res;
    if (res.destroyed || res.writableEnded) {
      this.stop();
      return false;
    }
    const seq = this.seq;
    if (res.writableLength > this.maxBufferBytes) {
      this.dropped++;
      this.stats.framesDropped++;
    } else {
      const data = this.frames.base64()[seq % this.frames.count]!;
      const head = `event: frame\ndata: {"type":"frame","requestId":${this.requestId},"seq":${seq},"timeUs":${dueTimeUs(this.t0Us, seq, this.fps)}${this.middle}`;
      const buf = Buffer.allocUnsafe(head.length + data.length + EVENT_END.length);
      let off = buf.write(head, 0, 'latin1');
      off += data.copy(buf, off);
      EVENT_END.copy(buf, off);
      res.write(buf);
      this.stats.framesSent++;
      this.stats.bytesSent += buf.length;
    }
    this.seq = seq + 1;
    if (this.total !== 0 && this.seq >= this.total) {
      const done = JSON.stringify({ type: 'done', requestId: this.requestId, frames: this.seq, dropped: this.dropped });
      res.end(`event: done\ndata: ${done}\n\n`);
      this.stop();
      return false;
    }
    this.nextSendUs = this.sendTime(this.seq, this.nextSendUs);
    return true;
  }

  /** Ends the stream (finished, client gone or server shutdown); idempotent. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.onEnd(this);
  }
}
