// One client connection on a gateway: the reference protocol's messages (generate, cancel, clock,
// resume), each generate becoming a job on the Redis queue and a GatewayStream forwarding its frames;
// on a lost connection session streams stay in Redis for a resume, on this gateway or another.
import type WebSocket from 'ws';
import { nowUs } from '../../protocol/clock.js';
import { ERROR_CODES, type ClockReply, type DoneMessage, type ErrorMessage, type GenerationMessage, type ResumedMessage } from '../../protocol/messages.js';
import { channelFor, type GenerationJob } from '../../protocol/queue.js';
import { parseClientMessage, type ValidGenerate, type ValidResume } from '../parse-message.js';
import type { GatewayHub, StoredStream } from './hub.js';
import { GatewayStream, QueueFullError, type StreamHost } from './gateway-stream.js';

const OPEN = 1;
/** Streams one connection may run at once (each is a job, a subscription and Redis state). */
export const MAX_STREAMS_PER_CONNECTION = 64;

export class GatewayConnection implements StreamHost {
  alive = true;
  readonly streams = new Map<number, GatewayStream>();
  private closed = false;

  constructor(
    readonly ws: WebSocket,
    private readonly hub: GatewayHub,
    private readonly nextStreamId: () => string,
    private readonly onClosed: (c: GatewayConnection) => void,
  ) {
    const stats = hub.stats;
    stats.connections++;
    stats.connectionsTotal++;
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', () => stats.errors++);
    ws.on('close', () => this.release());
  }

  /** Shutdown: session streams stay resumable (another gateway picks them up), others are cancelled. */
  shutdown(graceful: boolean): void {
    this.stopStreams();
    if (graceful && this.ws.readyState === OPEN) this.ws.close(1001, 'gateway shutting down');
    else this.ws.terminate();
  }

  streamEnded(stream: GatewayStream, frames: number): void {
    if (!this.forget(stream)) return;
    stream.stop(false);
    this.hub.dropStream(stream.job, stream.session);
    this.send({ type: 'done', requestId: stream.requestId, frames, dropped: stream.dropped } satisfies DoneMessage);
  }

  generationStarted(stream: GatewayStream, queueWaitUs: number, worker: string): void {
    this.send({ type: 'generation', requestId: stream.requestId, queueWaitUs: Math.round(queueWaitUs), worker } satisfies GenerationMessage);
  }

  streamFailed(stream: GatewayStream, message: string): void {
    if (!this.forget(stream)) return;
    stream.stop(true);
    this.hub.dropStream(stream.job, stream.session);
    this.sendError({ type: 'error', code: 'generator_failed', message, requestId: stream.requestId });
  }

  private forget(stream: GatewayStream): boolean {
    if (this.streams.get(stream.requestId) !== stream) return false;
    this.streams.delete(stream.requestId);
    this.hub.stats.activeRequests--;
    return true;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.sendError({ type: 'error', code: ERROR_CODES.badRequest, message: 'binary messages are not accepted; send JSON text' });
      return;
    }
    const msg = parseClientMessage(data.toString('utf8'));
    switch (msg.type) {
      case 'error':
        return this.sendError(msg);
      case 'clock':
        return this.send({ type: 'clock', t0: msg.t0, t1: nowUs() } satisfies ClockReply);
      case 'cancel':
        return this.cancel(msg.requestId);
      case 'generate':
        return void this.generate(msg);
      case 'resume':
        return void this.resume(msg);
    }
  }

  private duplicate(id: number): boolean {
    if (!this.streams.has(id)) return false;
    this.sendError({ type: 'error', code: ERROR_CODES.duplicateRequest, message: `requestId: request ${id} is already active on this connection`, requestId: id });
    return true;
  }

  private tooMany(id: number): boolean {
    if (this.streams.size < MAX_STREAMS_PER_CONNECTION) return false;
    this.sendError({ type: 'error', code: 'too_many_requests', message: `requestId: ${MAX_STREAMS_PER_CONNECTION} requests are already active on this connection; wait for one to finish`, requestId: id });
    return true;
  }

  private async generate(req: ValidGenerate): Promise<void> {
    if (this.duplicate(req.requestId) || this.tooMany(req.requestId)) return;
    const streamId = this.nextStreamId();
    const job: GenerationJob = {
      v: 1,
      streamId,
      channel: channelFor(this.hub.opts.channel, streamId),
      requestId: req.requestId,
      format: req.format,
      width: req.width,
      height: req.height,
      quality: req.quality,
      fps: req.fps,
      frames: req.frames,
      fromSeq: 0,
      attempt: 0,
      enqueuedUs: nowUs(),
    };
    const stream = new GatewayStream(this, this.hub, job, req.session, req.transport);
    this.streams.set(req.requestId, stream);
    this.hub.stats.requests++;
    this.hub.stats.activeRequests++;
    try {
      await stream.begin();
    } catch (err) {
      if (!this.forget(stream)) return;
      stream.stop(true);
      if (err instanceof QueueFullError) this.sendError({ type: 'error', code: 'queue_full', message: err.message, requestId: req.requestId });
      else this.sendError({ type: 'error', code: 'queue_unavailable', message: `cannot enqueue the request: Redis: ${err instanceof Error ? err.message : String(err)}`, requestId: req.requestId });
      this.hub.dropStream(stream.job, stream.session);
    }
  }

  private async resume(msg: ValidResume): Promise<void> {
    const id = msg.requestId;
    if (this.duplicate(id) || this.tooMany(id)) return;
    let found: StoredStream | undefined;
    try {
      found = await this.hub.findStream(msg.session, id);
    } catch {
      found = undefined;
    }
    if (!found || this.closed) {
      this.hub.counters.resumeMisses++;
      this.sendError({ type: 'error', code: ERROR_CODES.unknownRequest, message: `requestId: request ${id} of session ${JSON.stringify(msg.session)} is unknown or its resume window expired`, requestId: id });
      return;
    }
    const stream = new GatewayStream(this, this.hub, found.job, msg.session, found.transport, msg.lastSeq);
    this.streams.set(id, stream);
    this.hub.stats.activeRequests++;
    this.hub.stats.resumes++;
    let fromSeq: number;
    try {
      fromSeq = await stream.resume();
    } catch (err) {
      if (!this.forget(stream)) return;
      stream.stop(false);
      this.sendError({ type: 'error', code: 'queue_unavailable', message: `cannot resume request ${id}: Redis: ${err instanceof Error ? err.message : String(err)}`, requestId: id });
      return;
    }
    this.send({ type: 'resumed', requestId: id, fromSeq } satisfies ResumedMessage);
  }

  private cancel(id: number): void {
    const s = this.streams.get(id);
    if (!s) {
      this.sendError({ type: 'error', code: ERROR_CODES.unknownRequest, message: `requestId: no active request ${id}`, requestId: id });
      return;
    }
    this.forget(s);
    s.stop(true);
    this.hub.dropStream(s.job, s.session);
    this.send({ type: 'done', requestId: id, frames: s.lastSeq + 1, dropped: s.dropped } satisfies DoneMessage);
  }

  private stopStreams(): void {
    for (const s of this.streams.values()) {
      this.hub.stats.activeRequests--;
      if (s.session !== undefined) {
        this.hub.stats.detachedStreams++;
        s.stop(false);
      } else s.stop(true);
    }
    this.streams.clear();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopStreams();
    this.hub.stats.connections--;
    this.onClosed(this);
  }

  private sendError(msg: ErrorMessage): void {
    this.hub.stats.errors++;
    this.send(msg);
  }

  private send(msg: object): void {
    if (this.ws.readyState === OPEN) this.ws.send(JSON.stringify(msg));
  }
}
