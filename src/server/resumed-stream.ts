// A stream resumed on a new connection: first re-sends the replay backlog (frames fromSeq… generated so
// far, stamped with their original due times so the outage shows as latency) as fast as backpressure
// allows, while live generation continues on schedule into the backlog; once caught up it streams live
// exactly like a RequestStream. The backlog is bounded by the replay window: older frames are dropped.
import { nowUs } from '../protocol/clock.js';
import type { DetachedStream, ResumeState } from './resume-registry.js';
import { RequestStream, type StreamOwner, type StreamTiming } from './request-stream.js';

const OPEN = 1;
/** Backlog frames sent per scheduler turn before other streams get theirs. */
const BURST = 16;
/** How soon to look again while the send buffer is over its cap. */
const BACKPRESSURE_POLL_US = 5_000;

export class ResumedStream extends RequestStream {
  private replayNext: number;
  private liveNextUs: number;
  private catchingUp = true;
  private readonly window: number;

  constructor(owner: StreamOwner, from: DetachedStream, timing: StreamTiming, state: ResumeState) {
    super(owner, from.requestId, from.frames, from.fps, from.total, from.transport, from.t0Us, timing, from.session);
    this.seq = state.generated;
    this.dropped = state.dropped;
    this.replayNext = state.fromSeq;
    this.window = state.window;
    this.liveNextUs = this.generationDone() ? Infinity : this.sendTime(this.seq, -Infinity);
    this.nextSendUs = nowUs();
  }

  override fire(): boolean {
    if (!this.catchingUp) return super.fire();
    const owner = this.owner;
    const ws = owner.ws;
    if (ws.readyState !== OPEN) return false;
    const now = nowUs();
    while (this.liveNextUs <= now) {
      this.seq++;
      this.liveNextUs = this.generationDone() ? Infinity : this.sendTime(this.seq, this.liveNextUs);
    }
    const stats = owner.stats;
    const over = this.seq - this.replayNext - this.window;
    if (over > 0) {
      this.replayNext += over;
      this.dropped += over;
      stats.framesDropped += over;
    }
    let n = 0;
    while (this.replayNext < this.seq && n < BURST && ws.bufferedAmount <= owner.maxBufferBytes) {
      const seq = this.replayNext++;
      stats.framesSent++;
      owner.sends++;
      stats.bytesSent += this.jsonMiddle === undefined ? this.sendBinary(seq) : this.sendJson(seq);
      n++;
    }
    if (this.replayNext < this.seq) {
      this.nextSendUs = n === BURST ? now : Math.min(this.liveNextUs, now + BACKPRESSURE_POLL_US);
      return true;
    }
    if (this.generationDone()) {
      this.active = false;
      owner.streamFinished(this);
      return false;
    }
    this.catchingUp = false;
    this.nextSendUs = this.liveNextUs;
    return true;
  }

  private generationDone(): boolean {
    return this.total !== 0 && this.seq >= this.total;
  }
}
