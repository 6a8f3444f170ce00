// Resumable streams of client sessions, keyed by (session, requestId): attached ones (streaming on a
// connection) and detached ones, kept for resumeGraceMs after their connection was lost. A detached
// stream holds no socket and costs nothing per frame: frames are deterministic from the corpus, so
// what it generated meanwhile is a function of time, worked out when it is resumed or expires.
// A finished stream lingers for the grace period too: its last frames and done may have been lost
// with a connection that died right after they were written.
import { nowUs } from '../protocol/clock.js';
import type { Transport } from '../protocol/messages.js';
import type { PreparedFrames } from './frame-source.js';
import type { RequestStream } from './request-stream.js';
import type { StatsCounters } from './stats.js';

/** Where a resumed stream picks up: handed out by resume() with the stream it resumes. */
export interface ResumeState {
  /** Frames generated so far: the next live seq. */
  generated: number;
  /** First frame to re-send. */
  fromSeq: number;
  dropped: number;
  /** Most frames the backlog may hold. */
  window: number;
}

/** What a resumed stream is rebuilt from. */
export interface DetachedStream {
  session: string;
  requestId: number;
  frames: PreparedFrames;
  fps: number;
  total: number;
  transport: Transport;
  t0Us: number;
  /** Frames generated when it was detached. */
  seq: number;
  dropped: number;
  expiresAtUs: number;
}

/** The connection an attached stream streams on; gives the stream up when it is resumed elsewhere. */
export interface StreamHolder {
  surrender(stream: RequestStream): void;
}

export interface ResumeConfig {
  graceMs: number;
  replayFrames: number;
  maxDetached: number;
  /** Server-wide extra send delay: a frame counts as generated once due + delay has passed. */
  delayUs: number;
}

const SWEEP_MS = 1000;
const keyOf = (session: string, requestId: number): string => `${requestId}\u0000${session}`;

export class ResumeRegistry {
  private readonly attached = new Map<string, { stream: RequestStream; holder: StreamHolder }>();
  /** Detached after a lost connection. Insertion order is expiry order (one grace period for all). */
  private readonly lost = new Map<string, DetachedStream>();
  /** Finished and lingering; evicted first when over the cap. */
  private readonly finished = new Map<string, DetachedStream>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ResumeConfig,
    private readonly stats: StatsCounters,
  ) {}

  /** A session stream started (or resumed) on `holder`; a detached stream of the same key is replaced. */
  attach(stream: RequestStream, holder: StreamHolder): void {
    if (this.config.graceMs <= 0 || stream.session === undefined) return;
    const key = keyOf(stream.session, stream.requestId);
    this.remove(key);
    this.attached.set(key, { stream, holder });
  }

  /** The stream was cancelled (or the server is shutting down): not resumable any more. */
  forget(stream: RequestStream): void {
    if (stream.session === undefined) return;
    const key = keyOf(stream.session, stream.requestId);
    if (this.attached.get(key)?.stream === stream) this.attached.delete(key);
  }

  /** Its connection was lost (`lost`) or it finished: it stays resumable for the grace period. */
  detach(stream: RequestStream, lost: boolean): void {
    this.forget(stream);
    const { graceMs, maxDetached } = this.config;
    if (graceMs <= 0 || stream.session === undefined || maxDetached === 0) return;
    const key = keyOf(stream.session, stream.requestId);
    this.remove(key);
    while (this.lost.size + this.finished.size >= maxDetached) this.expireOldest();
    (lost ? this.lost : this.finished).set(key, { ...this.recordOf(stream, stream.session), expiresAtUs: nowUs() + graceMs * 1000 });
    this.stats.detachedStreams = this.lost.size;
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), Math.min(SWEEP_MS, graceMs));
      this.sweeper.unref();
    }
  }

  /**
   * Takes (session, requestId) for a resume: a detached stream, or one still attached to a connection
   * that has not noticed it is dead (that connection gives it up). Undefined when unknown or expired.
   */
  resume(session: string, requestId: number, lastSeq: number): { stream: DetachedStream; state: ResumeState } | undefined {
    const key = keyOf(session, requestId);
    const now = nowUs();
    let rec = this.remove(key);
    if (rec) {
      if (rec.expiresAtUs <= now) {
        this.expired(rec, rec.expiresAtUs);
        rec = undefined;
      }
    } else {
      const live = this.attached.get(key);
      if (live) {
        this.attached.delete(key);
        live.holder.surrender(live.stream);
        rec = { ...this.recordOf(live.stream, session), expiresAtUs: now };
      }
    }
    if (!rec) return undefined;
    const generated = this.generatedBy(rec, now);
    this.stats.framesDetached += generated - rec.seq;
    this.stats.resumes++;
    const window = this.config.replayFrames;
    const fromSeq = Math.min(generated, Math.max(lastSeq + 1, generated - window, 0));
    return { stream: rec, state: { generated, fromSeq, dropped: rec.dropped, window } };
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.attached.clear();
    this.lost.clear();
    this.finished.clear();
    this.stats.detachedStreams = 0;
  }

  private remove(key: string): DetachedStream | undefined {
    for (const map of [this.lost, this.finished]) {
      const rec = map.get(key);
      if (!rec) continue;
      map.delete(key);
      this.stats.detachedStreams = this.lost.size;
      return rec;
    }
    return undefined;
  }

  private recordOf(s: RequestStream, session: string): Omit<DetachedStream, 'expiresAtUs'> {
    const { requestId, frames, fps, total, transport, t0Us, seq, dropped } = s;
    return { session, requestId, frames, fps, total, transport, t0Us, seq, dropped };
  }

  /** Frames generated by `atUs`: those whose due time + delay has passed (at least what was generated before). */
  private generatedBy(rec: DetachedStream, atUs: number): number {
    const elapsedUs = atUs - rec.t0Us - this.config.delayUs;
    const byTime = elapsedUs < 0 ? 0 : Math.floor((elapsedUs * rec.fps) / 1e6) + 1;
    const n = Math.max(rec.seq, byTime);
    return rec.total === 0 ? n : Math.min(n, rec.total);
  }

  private expired(rec: DetachedStream, atUs: number): void {
    this.stats.framesDetached += this.generatedBy(rec, Math.min(atUs, rec.expiresAtUs)) - rec.seq;
  }

  private expireOldest(): void {
    const first = (this.finished.size > 0 ? this.finished : this.lost).keys().next();
    if (first.done) return;
    this.expired(this.remove(first.value)!, nowUs());
  }

  private sweep(): void {
    const now = nowUs();
    for (const map of [this.lost, this.finished]) {
      for (const [key, rec] of map) {
        if (rec.expiresAtUs > now) break;
        map.delete(key);
        this.expired(rec, now);
      }
    }
    this.stats.detachedStreams = this.lost.size;
    if (this.lost.size + this.finished.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
