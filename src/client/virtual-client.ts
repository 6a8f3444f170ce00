// One virtual client: connects, streams requests back to back, and accounts for every frame. Every
// message goes through the protocol adapter ("what is this message?"); framebench sends only what
// the adapter describes. On a lost connection it reconnects (exponential backoff, full jitter) and
// resumes by request id where the protocol can, else re-sends the request. A connection carries one
// stream at a time, or several (`correlation.streams`) told apart by the request id of every
// message. The per-frame path reads fields in place and records into HDR without allocating.
import { parseResolution } from '../frames/resolution.js';
import { nowUs } from '../protocol/clock.js';
import { ERROR_CODES } from '../protocol/messages.js';
import type { ReferenceAdapter } from '../protocol/adapters/reference.js';
import { CLOSE_SOCKET, Classified, sameId, type ProtocolAdapter } from '../protocol/adapters/types.js';
import { backoffDelayMs } from './backoff.js';
import type { ClientContext } from './client-context.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { PlaybackModel } from './playback-model.js';
import { RequestState } from './request-state.js';
import { StreamSlot, slotById } from './stream-slot.js';
import { latenessUs, scheduleAnchor } from './schedule.js';
import { checkFrameImage, errorKind, requestContext } from './stream-context.js';

export type { ClientPhase } from './reconnecting-socket.js';

export class VirtualClient extends ReconnectingSocket {
  /** Streams in flight on this connection; `only` is the first (the one with a single stream). */
  private readonly slots: StreamSlot[];
  private readonly only: StreamSlot;
  private readonly multi: boolean;
  /** A resume was sent for the current request and neither `resumed` nor an error has answered it. */
  private resumePending = false;
  private nextRequestId = 1;
  private errorStreak = 0;
  private validateCountdown: number;
  private nextTimer: NodeJS.Timeout | undefined;
  private idleWaiter: (() => void) | undefined;
  private readonly session: string;
  private readonly frameIntervalUs: number;
  private readonly requested: number;
  private readonly adapter: ProtocolAdapter;
  private readonly msg = new Classified();
  private readonly dims: { width: number; height: number };

  constructor(index: number, ctx: ClientContext) {
    super(index, ctx);
    this.session = `${ctx.sessionPrefix}-${index}`;
    this.frameIntervalUs = 1e6 / ctx.params.fps;
    this.requested = ctx.params.framesPerRequest === 'continuous' ? 0 : ctx.params.framesPerRequest;
    this.adapter = ctx.adapter;
    const n = Math.max(1, this.adapter.streams);
    this.slots = [];
    for (let i = 0; i < n; i++) this.slots.push(new StreamSlot(new PlaybackModel({ bufferDepth: ctx.params.bufferDepth, fps: ctx.params.fps, startMs: 0 }, ctx.collector.playback.recordDisplayLatency)));
    this.only = this.slots[0]!;
    this.multi = n > 1;
    this.dims = parseResolution(ctx.params.resolution) ?? { width: 0, height: 0 };
    this.validateCountdown = 1 + (index % Math.max(1, this.adapter.validateEvery));
  }

  /**
   * After warm-up: a continuous stream started unmeasured is replaced by a measured one — cancelled
   * and re-requested where the protocol has a cancel message, else kept and measured from here.
   */
  rollover(): void {
    for (const slot of this.slots) {
      const req = slot.req;
      if (!req || req.measured || !req.continuous || this.phase !== 'open') continue;
      const cancel = this.adapter.cancel(this.contextOf(slot, req));
      this.endStream(slot, undefined, false);
      if (typeof cancel === 'string') {
        this.send(cancel);
        if (this.ctx.params.connection === 'per-request') this.next(slot);
        else this.sendGenerate(slot);
      } else this.adoptStream(slot);
    }
  }

  /** No new requests; continuous streams are cancelled (their `done` awaited where the protocol sends one). */
  stop(): void {
    this.stopping = true;
    this.clearNextTimer();
    let closeSocket = false;
    for (const slot of this.slots) {
      const req = slot.req;
      if (!req?.continuous || this.phase !== 'open') continue;
      const cancel = this.adapter.cancel(this.contextOf(slot, req));
      if (typeof cancel === 'string') this.send(cancel);
      if (typeof cancel !== 'string' || !this.adapter.doneAfterCancel) {
        this.endStream(slot, undefined, false);
        this.notifyIdle();
      }
      if (cancel === CLOSE_SOCKET) closeSocket = true;
    }
    if (closeSocket) this.ws?.close(1000, 'cancel');
    if (this.phase === 'new' || this.phase === 'waiting') this.finish();
  }

  /** Resolves when no request is in flight (after stop()). */
  whenIdle(): Promise<void> {
    if (!this.busy() || this.phase !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiter = resolve;
    });
  }

  /** Cuts any request still in flight (drain timeout: its frames not yet due are not lost) and closes the socket cleanly. */
  close(): void {
    this.stopping = true;
    this.clearNextTimer();
    this.endAll(true);
    this.closeSocket();
  }

  /**
   * Called by the pool's timer: ping when quiet, reconnect when silent too long (intervalUs 0 = no
   * heartbeat), and end a stream idle for longer than the protocol allows.
   */
  heartbeat(nowAtUs: number, intervalUs: number, timeoutUs: number): void {
    if (this.phase !== 'open' || !this.ws) return;
    const idleUs = this.adapter.idleEndUs;
    if (idleUs > 0) for (const slot of this.slots) this.endIfIdle(slot, nowAtUs, idleUs);
    if (intervalUs <= 0) return;
    const quiet = nowAtUs - this.lastHeardUs;
    if (quiet > timeoutUs) {
      this.ctx.collector.error('heartbeat_timeout');
      this.ws.terminate();
    } else if (quiet > intervalUs) this.ws.ping();
  }

  /** A stream without a frame for longer than the protocol allows ends; its missing frames are lost. */
  private endIfIdle(slot: StreamSlot, nowAtUs: number, idleUs: number): void {
    const req = slot.req;
    if (!req) return;
    const last = req.received > 0 ? slot.lastFrameUs : req.sentAtUs;
    if (nowAtUs - last <= idleUs) return;
    const complete = req.requested > 0 && req.received >= req.requested;
    if (!complete) {
      this.ctx.collector.error(req.received > 0 ? 'stream_idle_timeout' : 'no_frames_timeout');
      const cancel = this.adapter.cancel(this.contextOf(slot, req));
      if (typeof cancel === 'string') this.send(cancel);
    }
    this.endStream(slot, undefined, complete, false, last);
    this.afterStream(slot, !complete);
  }

  protected opened(): void {
    if (this.stopping) return this.close();
    const req = this.only.req;
    this.resumePending = false;
    if (req && this.ctx.reconnect.resume && this.adapter.reference) {
      this.resumePending = true;
      this.send((this.adapter as ReferenceAdapter).resume(this.session, req.id, req.maxSeq));
    } else {
      this.endAll(false);
      for (const slot of this.slots) this.sendGenerate(slot);
    }
  }

  protected busy(): boolean {
    for (const slot of this.slots) if (slot.req !== undefined) return true;
    return false;
  }

  protected lost(giveUp: boolean): void {
    this.clearNextTimer();
    if (!giveUp) return;
    this.endAll(this.stopping);
    this.notifyIdle();
  }

  private endAll(cut: boolean): void {
    for (const slot of this.slots) this.endStream(slot, undefined, false, cut);
  }

  protected override finish(): void {
    this.clearNextTimer();
    super.finish();
  }

  private newRequest(slot: StreamSlot): RequestState {
    const measured = this.ctx.collector.measuring;
    // connection: per-request — the request's time starts with its connect, so the handshake shows in first-frame time
    const sentUs = this.ctx.params.connection === 'per-request' ? this.connectStartedUs : nowUs();
    const req = new RequestState(this.nextRequestId++, this.requested, measured, sentUs, this.frameIntervalUs);
    slot.req = req;
    slot.lastFrameUs = 0;
    if (measured) {
      this.ctx.collector.requestStarted();
      slot.playback.reset(req.sentAtUs / 1000);
    }
    return req;
  }

  private sendGenerate(slot: StreamSlot): void {
    const req = this.newRequest(slot);
    slot.adopted = false;
    slot.wireId = this.adapter.wireId(req.id, this.session);
    const text = this.adapter.request(this.contextOf(slot, req));
    if (text !== undefined) this.send(text);
  }

  /** Keeps the running stream (same wire id) as a new, measured request. */
  private adoptStream(slot: StreamSlot): void {
    this.newRequest(slot);
    slot.adopted = true;
  }

  private contextOf(slot: StreamSlot, req: RequestState) {
    return requestContext(this.adapter, this.ctx.params, this.dims, this.index, this.session, req.id, slot.wireId, this.requested);
  }

  protected readonly onMessage = (data: Buffer, isBinary: boolean): void => {
    const m = this.msg;
    if (isBinary) this.ctx.collector.binaryMessage();
    else this.ctx.collector.textMessage();
    this.adapter.classify(data, isBinary, m);
    switch (m.kind) {
      case 'frame':
        this.onFrame(m, data);
        if (m.hopUs !== 0) this.onHops(m.hopUs, m.timeUs);
        return;
      case 'done': {
        this.lastHeardUs = nowUs();
        if (this.multi) {
          const slot = slotById(this.slots, m.requestId);
          if (slot) {
            this.endStream(slot, m.frames, true);
            this.next(slot);
          }
          return;
        }
        const only = this.only;
        // the reference protocol's done always names its request; an adapter's may not (one stream at a time)
        if (only.req && (m.requestId === undefined ? !this.adapter.reference : sameId(m.requestId, only.wireId))) this.endStream(only, m.frames, true);
        this.next(only);
        return;
      }
      case 'error':
        this.lastHeardUs = nowUs();
        this.onError(m);
        return;
      case 'unrecognized':
        this.lastHeardUs = nowUs();
        this.ctx.collector.error(m.code);
        return;
      default:
        this.lastHeardUs = nowUs();
        if (!this.adapter.reference || !this.only.req || !sameId(m.requestId, this.only.wireId)) return;
        if (m.code === 'resumed') {
          this.resumePending = false;
          this.ctx.collector.resumed();
        } else if (m.code === 'generation') {
          this.only.req.accepted = true;
          this.ctx.collector.hop('queueWait', m.queueWaitUs);
        }
        return;
    }
  };

  private onFrame(m: Classified, data: Buffer): void {
    const now = nowUs();
    this.lastHeardUs = now;
    let slot: StreamSlot | undefined = this.only;
    if (this.multi) {
      slot = slotById(this.slots, m.requestId);
      if (!slot) {
        if (m.requestId === undefined) this.ctx.collector.error('frame_without_request_id');
        return;
      }
    } else if (this.adapter.correlateById && !sameId(m.requestId, slot.wireId)) return;
    const req = slot.req;
    if (!req) return;
    let seq = m.seq;
    if (seq < 0) seq = req.received;
    else if (slot.adopted) {
      if (req.received === 0 && req.duplicates === 0) slot.seqShift = seq;
      seq -= slot.seqShift;
      if (seq < 0) return;
    }
    if (!req.mark(seq)) {
      if (!this.adapter.reference && req.requested > 0 && seq >= req.requested) this.ctx.collector.error('frame_beyond_request');
      return;
    }
    req.bytes += data.length;
    this.errorStreak = 0;
    const c = this.ctx.collector;
    // inter-arrival gaps for adapters; the reference protocol's frames carry their due time (frame latency, lateness)
    const gapUs = req.received === 1 || this.adapter.reference ? Number.NaN : now - slot.lastFrameUs;
    slot.lastFrameUs = now;
    if (req.received === 1) {
      req.firstArrivalUs = now;
      req.anchorUs = scheduleAnchor(now, seq, this.frameIntervalUs);
      if (req.measured && !slot.adopted) c.firstFrameOf(now - req.sentAtUs);
    }
    const serverUs = m.timeUs - this.ctx.offsetUs;
    if (req.measured) slot.playback.arrive(now / 1000, serverUs / 1000);
    if (c.measuring) c.frame(now - serverUs, latenessUs(now, req.anchorUs, seq, this.frameIntervalUs), data.length, gapUs, m.payloadBytes);
    const every = this.adapter.validateEvery;
    if (every > 0 && --this.validateCountdown <= 0) {
      this.validateCountdown = every;
      checkFrameImage(m, data, this.ctx.params, this.dims, c);
    }
    if (this.adapter.endOnFrames && req.requested > 0 && req.received >= req.requested) {
      this.endStream(slot, undefined, true, false, now);
      this.next(slot);
    }
  }

  /** Through a gateway topology: generator → gateway from the header stamp, gateway → client the rest. */
  private onHops(generatorToGatewayUs: number, timeUs: number): void {
    const c = this.ctx.collector;
    c.hop('generatorToGateway', generatorToGatewayUs);
    c.hop('gatewayToClient', Math.max(0, nowUs() + this.ctx.offsetUs - timeUs - generatorToGatewayUs));
  }

  private onError(m: Classified): void {
    this.ctx.collector.error(errorKind(m.code));
    let slot: StreamSlot | undefined = this.only;
    if (this.multi) slot = slotById(this.slots, m.requestId);
    else if (m.requestId !== undefined ? !sameId(m.requestId, slot.wireId) : this.adapter.reference) return;
    const req = slot?.req;
    if (!slot || !req) return;
    if (this.resumePending && m.code === ERROR_CODES.unknownRequest && !req.accepted && req.received === 0) {
      // The server never accepted this request (a gateway keeps every request it enqueues resumable),
      // e.g. a generate still on its way when the connection died: nothing of it was due, so it is
      // sent again instead of being counted lost.
      this.resumePending = false;
      const text = this.adapter.request(this.contextOf(slot, req));
      if (text !== undefined) this.send(text);
      return;
    }
    this.resumePending = false;
    this.endStream(slot, undefined, false);
    this.afterStream(slot, !this.adapter.reference);
  }

  /** The next request: at once, or after a backoff when the server refused or failed the last one. */
  private afterStream(slot: StreamSlot, failed: boolean): void {
    if (!failed) return this.next(slot);
    const delay = backoffDelayMs(this.errorStreak++, this.ctx.reconnect, this.ctx.random());
    this.clearNextTimer();
    this.nextTimer = setTimeout(() => {
      this.nextTimer = undefined;
      for (const s of this.slots) this.next(s);
    }, delay);
    if (this.stopping) this.notifyIdle();
  }

  private clearNextTimer(): void {
    if (this.nextTimer) clearTimeout(this.nextTimer);
    this.nextTimer = undefined;
  }

  private next(slot: StreamSlot): void {
    if (slot.req || this.recycling) return;
    if (this.stopping || this.phase !== 'open') {
      this.notifyIdle();
      return;
    }
    // connection: per-request — once no stream is left on it, the connection is replaced for the next requests
    if (this.ctx.params.connection === 'per-request') {
      if (!this.busy()) this.recycle();
      return;
    }
    this.sendGenerate(slot);
  }

  private endStream(slot: StreamSlot, serverFrames: number | undefined, completed: boolean, cut = false, endUs = nowUs()): void {
    const req = slot.req;
    if (!req) return;
    slot.req = undefined;
    if (!req.measured) return;
    const now = nowUs();
    const c = this.ctx.collector;
    c.requestEnded(req, req.expected(serverFrames, { atUs: now, cut, windowEndUs: c.measureEndUs }), completed);
    const span = slot.lastFrameUs - req.firstArrivalUs;
    c.streamEnded(completed && !slot.adopted ? endUs - req.sentAtUs : Number.NaN, req.received >= 2 && span > 0 ? ((req.received - 1) * 1e6) / span : Number.NaN, req.received, req.requested);
    c.playback.add(slot.playback.finish(now / 1000));
  }

  /** Wakes whenIdle() once no stream is in flight (or the connection is gone). */
  private notifyIdle(): void {
    if (this.phase === 'open' && this.busy()) return;
    const w = this.idleWaiter;
    this.idleWaiter = undefined;
    w?.();
  }
}
