// HTTP polling transport: POST /frames?… creates a stream, GET /frames/{id}/next?after=SEQ answers
// the next frame after SEQ (binary body: the 32-byte frame header + image) or 204 when it is not
// due yet; `&wait=MS` holds the request until the frame is due (long poll). After the last frame
// the answer is 410 with the `done` JSON; DELETE /frames/{id} cancels. A frame stays fetchable
// for `replayFrames` frames after it became due; a poller further behind skips ahead (lost).
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { nowUs } from '../../protocol/clock.js';
import { HEADER_BYTES, writeHeader } from '../../protocol/header.js';
import type { DoneMessage } from '../../protocol/messages.js';
import type { PreparedFrames } from '../frame-source.js';
import { sendJson } from '../http-respond.js';
import type { StatsCounters } from '../stats.js';
import { dueTimeUs } from '../timing.js';

export interface PollLimits {
  /** Frames behind the newest due frame that can still be fetched. */
  replayFrames: number;
  /** Longest `wait` a long poll may ask for, ms. */
  maxWaitMs: number;
}

export class PollStream {
  lastPollMs = Date.now();
  /** Pending long poll: its timer, cleared when the client goes away or the stream ends. */
  held: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly requestId: number,
    readonly frames: PreparedFrames,
    readonly fps: number,
    /** 0 = until DELETE. */
    readonly total: number,
    readonly t0Us: number,
    private readonly delayUs: number,
  ) {}

  /** Time the frame `seq` becomes fetchable, µs. */
  availableAtUs(seq: number): number {
    return dueTimeUs(this.t0Us, seq, this.fps) + this.delayUs;
  }

  /** Highest seq fetchable at `atUs` (-1 before the first). */
  newestAt(atUs: number): number {
    const n = Math.floor(((atUs - this.t0Us - this.delayUs) * this.fps) / 1e6);
    const newest = Math.max(-1, n);
    return this.total > 0 ? Math.min(newest, this.total - 1) : newest;
  }

  done(atUs: number): DoneMessage {
    const frames = this.total > 0 ? this.total : this.newestAt(atUs) + 1;
    return { type: 'done', requestId: this.requestId, frames, dropped: 0 };
  }
}

export type NextAnswer = { kind: 'frame'; seq: number } | { kind: 'wait'; untilUs: number } | { kind: 'none' } | { kind: 'done' };

/** What GET next answers for `after` at `atUs` (pure: the handler turns it into a response). */
export function nextAnswer(s: PollStream, after: number, atUs: number, limits: PollLimits): NextAnswer {
  let seq = after + 1;
  if (s.total > 0 && seq >= s.total) return { kind: 'done' };
  const newest = s.newestAt(atUs);
  const oldest = Math.max(0, newest - limits.replayFrames + 1);
  if (seq < oldest) seq = oldest;
  if (seq <= newest) return { kind: 'frame', seq };
  return { kind: 'wait', untilUs: s.availableAtUs(seq) };
}

export function newStreamId(counter: number): string {
  return `${counter.toString(36)}${randomBytes(6).toString('hex')}`;
}

/** Writes frame `seq` of the stream as the response body; returns the body size. */
export function sendPollFrame(res: ServerResponse, s: PollStream, seq: number, stats: StatsCounters): number {
  const payload = s.frames.payloads[seq % s.frames.count]!;
  const head = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(head, {
    format: s.frames.formatCode,
    requestId: s.requestId,
    seq,
    timeUs: dueTimeUs(s.t0Us, seq, s.fps),
    width: s.frames.width,
    height: s.frames.height,
    payloadBytes: payload.length,
  });
  const len = HEADER_BYTES + payload.length;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': len, 'cache-control': 'no-store', 'x-frame-seq': String(seq) });
  res.cork();
  res.write(head);
  res.end(payload);
  res.uncork();
  stats.framesSent++;
  stats.bytesSent += len;
  return len;
}

export function sendDone(res: ServerResponse, s: PollStream, atUs = nowUs()): void {
  sendJson(res, 410, s.done(atUs));
}
