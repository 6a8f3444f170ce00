// One client connection: parses control messages, starts/cancels/resumes its request streams,
// answers clock exchanges, tracks heartbeat liveness, and detaches session streams when it is lost.
import type WebSocket from 'ws';
import { nowUs } from '../protocol/clock.js';
import { ERROR_CODES, type ClockReply, type DoneMessage, type ErrorMessage, type ResumedMessage } from '../protocol/messages.js';
import type { FrameSource } from './frame-source.js';
import { rawSinkOf, type RawSink } from './frame-writer.js';
import { parseClientMessage, type ValidGenerate, type ValidResume } from './parse-message.js';
import { RequestStream, type StreamOwner, type StreamTiming } from './request-stream.js';
import { ResumedStream } from './resumed-stream.js';
import type { ResumeRegistry, StreamHolder } from './resume-registry.js';
import type { FrameScheduler } from './scheduler.js';
import type { StatsCounters } from './stats.js';

/** Server-wide state every connection shares. */
export interface ServerContext {
  readonly stats: StatsCounters;
  readonly scheduler: FrameScheduler;
  readonly frames: FrameSource;
  readonly timing: StreamTiming;
  readonly resume: ResumeRegistry;
  readonly maxBufferBytes: number;
  /** False forces every frame through ws.send (one copied Buffer per frame). */
  readonly rawWrites: boolean;
  readonly log: (line: string) => void;
}

/** A request whose frames are still being fetched from the corpus. */
class PendingRequest {
  cancelled = false;
}

const OPEN = 1;

export class Connection implements StreamOwner, StreamHolder {
  /** Set by pong, cleared by each heartbeat ping. */
  alive = true;
  readonly maxBufferBytes: number;
  readonly stats: StatsCounters;
  readonly sink: RawSink | undefined;
  private readonly requests = new Map<number, RequestStream | PendingRequest>();
  private closed = false;

  constructor(
    readonly ws: WebSocket,
    private readonly ctx: ServerContext,
    private readonly onClosed: (conn: Connection) => void,
  ) {
    this.maxBufferBytes = ctx.maxBufferBytes;
    this.sink = ctx.rawWrites ? rawSinkOf(ws) : undefined;
    this.stats = ctx.stats;
    this.stats.connections++;
    this.stats.connectionsTotal++;
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', () => {
      this.stats.errors++;
    });
    ws.on('close', () => this.release());
  }

  /** Stops every stream and closes with `code` (1001 on shutdown); terminates when not graceful. */
  shutdown(graceful: boolean, code = 1001, reason = 'server shutting down'): void {
    this.stopStreams(false);
    if (graceful && this.ws.readyState === OPEN) this.ws.close(code, reason);
    else this.ws.terminate();
  }

  streamFinished(stream: RequestStream): void {
    this.requests.delete(stream.requestId);
    this.stats.activeRequests--;
    this.ctx.resume.detach(stream, false);
    this.sendDone(stream.requestId, stream.seq, stream.dropped);
  }

  /** Gives up a stream resumed on another connection: it stops here without a done. */
  surrender(stream: RequestStream): void {
    if (this.requests.get(stream.requestId) !== stream) return;
    this.requests.delete(stream.requestId);
    stream.active = false;
    this.stats.activeRequests--;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.sendError({ type: 'error', code: ERROR_CODES.badRequest, message: 'binary messages are not accepted; send JSON text' });
      return;
    }
    const msg = parseClientMessage(data.toString('utf8'));
    switch (msg.type) {
      case 'error':
        this.sendError(msg);
        return;
      case 'clock':
        this.send({ type: 'clock', t0: msg.t0, t1: nowUs() } satisfies ClockReply);
        return;
      case 'cancel':
        this.cancel(msg.requestId);
        return;
      case 'generate':
        this.generate(msg);
        return;
      case 'resume':
        this.resume(msg);
        return;
    }
  }

  private generate(req: ValidGenerate): void {
    const id = req.requestId;
    if (this.requests.has(id)) {
      this.sendError({
        type: 'error',
        code: ERROR_CODES.duplicateRequest,
        message: `requestId: request ${id} is already active on this connection`,
        requestId: id,
      });
      return;
    }
    const pending = new PendingRequest();
    this.requests.set(id, pending);
    this.ctx.frames.get({ format: req.format, width: req.width, height: req.height, quality: req.quality }).then(
      (frames) => {
        if (pending.cancelled || this.closed) return;
        // Accepted once its frames exist: a one-time corpus build shows in time-to-first-frame, not frame latency.
        const t0 = nowUs();
        const stream = new RequestStream(this, id, frames, req.fps, req.frames, req.transport, t0, this.ctx.timing, req.session);
        this.requests.set(id, stream);
        this.stats.requests++;
        this.stats.activeRequests++;
        this.ctx.resume.attach(stream, this);
        this.ctx.scheduler.add(stream);
      },
      (err: unknown) => {
        if (pending.cancelled || this.closed) return;
        this.requests.delete(id);
        this.ctx.log(`corpus error for ${req.format} ${req.width}x${req.height} q${req.quality}: ${String(err)}`);
        this.sendError({ type: 'error', code: ERROR_CODES.internal, message: `frames unavailable: ${err instanceof Error ? err.message : String(err)}`, requestId: id });
      },
    );
  }

  private resume(msg: ValidResume): void {
    const id = msg.requestId;
    const current = this.requests.get(id);
    if (current && !(current instanceof RequestStream && current.session === msg.session)) {
      this.sendError({
        type: 'error',
        code: ERROR_CODES.duplicateRequest,
        message: `requestId: another request ${id} is active on this connection`,
        requestId: id,
      });
      return;
    }
    const found = this.ctx.resume.resume(msg.session, id, msg.lastSeq);
    if (!found) {
      this.sendError({
        type: 'error',
        code: ERROR_CODES.unknownRequest,
        message: `requestId: request ${id} of session ${JSON.stringify(msg.session)} is unknown or its resume window expired`,
        requestId: id,
      });
      return;
    }
    const stream = new ResumedStream(this, found.stream, this.ctx.timing, found.state);
    this.requests.set(id, stream);
    this.stats.activeRequests++;
    this.send({ type: 'resumed', requestId: id, fromSeq: found.state.fromSeq } satisfies ResumedMessage);
    this.ctx.resume.attach(stream, this);
    this.ctx.scheduler.add(stream);
  }

  private cancel(id: number): void {
    const r = this.requests.get(id);
    if (!r) {
      this.sendError({ type: 'error', code: ERROR_CODES.unknownRequest, message: `requestId: no active request ${id}`, requestId: id });
      return;
    }
    this.requests.delete(id);
    if (r instanceof PendingRequest) {
      r.cancelled = true;
      this.sendDone(id, 0, 0);
      return;
    }
    r.active = false;
    this.stats.activeRequests--;
    this.ctx.resume.forget(r);
    this.sendDone(id, r.seq, r.dropped);
  }

  /** Stops every stream; `detach` (connection lost) keeps session streams resumable. */
  private stopStreams(detach: boolean): void {
    for (const r of this.requests.values()) {
      if (r instanceof PendingRequest) r.cancelled = true;
      else if (r.active) {
        r.active = false;
        this.stats.activeRequests--;
        if (detach) this.ctx.resume.detach(r, true);
        else this.ctx.resume.forget(r);
      }
    }
    this.requests.clear();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopStreams(true);
    this.stats.connections--;
    this.onClosed(this);
  }

  private sendDone(requestId: number, frames: number, dropped: number): void {
    this.send({ type: 'done', requestId, frames, dropped } satisfies DoneMessage);
  }

  private sendError(msg: ErrorMessage): void {
    this.stats.errors++;
    this.send(msg);
  }

  private send(msg: object): void {
    if (this.ws.readyState === OPEN) this.ws.send(JSON.stringify(msg));
  }
}
