// One client connection: parses control messages, starts/cancels/resumes its request streams,
// answers clock exchanges, tracks heartbeat liveness, and detaches session streams when it is lost.
import type WebSocket from 'ws';
import { nowUs } from '../protocol/clock.js';
import { ERROR_CODES, type ClockReply, type DoneMessage, type ErrorMessage, type ResumedMessage } from '../protocol/messages.js';
import { excerpt } from '../text/sanitize.js';
import { BusyError, type FramesLease } from './frame-source.js';
import { CLOSE_POLICY, MessageRate, SendStallWatch } from './connection-limits.js';
import { checkRequest } from './request-limits.js';
import { rawSinkOf, type RawSink } from './frame-writer.js';
import { parseClientMessage, type ValidGenerate, type ValidResume } from './parse-message.js';
import { RequestStream, type StreamOwner } from './request-stream.js';
import { ResumedStream } from './resumed-stream.js';
import type { StreamHolder } from './resume-registry.js';
import type { ServerContext } from './server-context.js';
import type { StatsCounters } from './stats.js';

/** A request whose frames are still being fetched from the corpus. */
class PendingRequest {
  cancelled = false;
  constructor(readonly lease: FramesLease) {}
}

const OPEN = 1;
/** How long a connection closed for a limit may take to finish the close handshake before it is destroyed. */
const CLOSE_GRACE_MS = 1000;

export class Connection implements StreamOwner, StreamHolder {
  /** Set by pong, cleared by each heartbeat ping. */
  alive = true;
  readonly maxBufferBytes: number;
  readonly stats: StatsCounters;
  readonly sink: RawSink | undefined;
  private readonly requests = new Map<number, RequestStream | PendingRequest>();
  private closed = false;
  private closing = false;
  private readonly rate: MessageRate;
  private readonly stall = new SendStallWatch();
  private idleTimer: NodeJS.Timeout | undefined;
  sends = 0;

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
    this.rate = new MessageRate(ctx.maxMessagesPerSec, Date.now());
    if (ctx.idleTimeoutMs > 0) {
      this.idleTimer = setTimeout(() => {
        this.stats.idleCloses++;
        this.closeForLimit(`no request within ${ctx.idleTimeoutMs} ms of connecting`);
      }, ctx.idleTimeoutMs);
      this.idleTimer.unref();
    }
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

  /** Called periodically: closes a connection whose send buffer stayed over its cap, with nothing written, for slowClientMs. */
  checkSlow(nowMs: number): void {
    if (this.closing || this.ws.readyState !== OPEN) return;
    if (this.stall.stuck(this.ws.bufferedAmount, this.maxBufferBytes, this.sends, nowMs, this.ctx.slowClientMs)) {
      this.stats.slowClientCloses++;
      this.closeForLimit(`send buffer over ${this.maxBufferBytes} bytes for ${this.ctx.slowClientMs} ms (client not reading)`);
    }
  }

  /** Closes with 1008 and destroys the socket if the close handshake does not finish soon (a peer that does not read). */
  private closeForLimit(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.stopStreams(false);
    if (this.ws.readyState === OPEN) this.ws.close(CLOSE_POLICY, reason.slice(0, 120));
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    if (!this.rate.admit(Date.now())) {
      this.stats.rateLimitCloses++;
      this.sendError({ type: 'error', code: ERROR_CODES.rateLimited, message: `more than ${this.ctx.maxMessagesPerSec} messages per second; closing` });
      this.closeForLimit('message rate limit exceeded');
      return;
    }
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
    const refused = checkRequest(this.ctx.limits, req);
    if (refused) {
      this.stats.requestsRejected++;
      this.sendError(refused);
      return;
    }
    this.clearIdle();
    const pending = new PendingRequest(this.ctx.frames.lease({ format: req.format, width: req.width, height: req.height, quality: req.quality }));
    this.requests.set(id, pending);
    pending.lease.frames.then(
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
        if (err instanceof BusyError) {
          this.sendError({ type: 'error', code: ERROR_CODES.serverBusy, message: err.message, requestId: id });
          return;
        }
        this.ctx.log(`corpus error for ${req.format} ${req.width}x${req.height} q${req.quality}: ${String(err)}`);
        this.sendError({ type: 'error', code: ERROR_CODES.internal, message: `frames unavailable: ${err instanceof Error ? err.message : String(err)}`, requestId: id });
      },
    );
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private resume(msg: ValidResume): void {
    this.clearIdle();
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
        message: `requestId: request ${id} of session ${excerpt(msg.session)} is unknown or its resume window expired`,
        requestId: id,
      });
      return;
    }
    const stream = new ResumedStream(this, found.stream, this.ctx.timing, found.state);
    this.requests.set(id, stream);
    this.stats.activeRequests++;
    this.send({ type: 'resumed', requestId: id, fromSeq: found.state.fromSeq } satisfies ResumedMessage, true);
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
      r.lease.release();
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
      if (r instanceof PendingRequest) {
        r.cancelled = true;
        r.lease.release();
      } else if (r.active) {
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
    this.clearIdle();
    this.stopStreams(true);
    this.stats.connections--;
    this.onClosed(this);
  }

  private sendDone(requestId: number, frames: number, dropped: number): void {
    this.send({ type: 'done', requestId, frames, dropped } satisfies DoneMessage, true);
  }

  private sendError(msg: ErrorMessage): void {
    this.stats.errors++;
    this.send(msg);
  }

  /**
   * Replies count against the same send-buffer cap as frames: over it they are dropped and counted,
   * except `essential` ones (done, resumed: one per request, and the client's accounting needs them).
   */
  private send(msg: object, essential = false): void {
    if (this.ws.readyState !== OPEN) return;
    if (!essential && this.ws.bufferedAmount > this.maxBufferBytes) {
      this.stats.repliesDropped++;
      return;
    }
    this.sends++;
    this.ws.send(JSON.stringify(msg));
  }
}
