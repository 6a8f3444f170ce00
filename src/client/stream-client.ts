// The streams of one connection and their requests' lifecycle: a request per stream slot, sent
// back to back (or after a backoff when the server refused one), rolled over into the measured
// window, cancelled at stop, cut at the drain timeout, ended when idle longer than the protocol
// allows; each measured request's frames accounted when it ends. What each message means is the
// subclass's part (VirtualClient).
import { nowUs } from '../protocol/clock.js';
import { CLOSE_SOCKET, type ProtocolAdapter } from '../protocol/adapters/types.js';
import { backoffDelayMs } from './backoff.js';
import type { ClientContext } from './client-context.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { PlaybackModel } from './playback-model.js';
import { RequestState } from './request-state.js';
import { StreamSlot } from './stream-slot.js';
import { cellDims, requestContext } from './stream-context.js';

export abstract class StreamClient extends ReconnectingSocket {
  /** Streams in flight on this connection; `only` is the first (the one with a single stream). */
  protected readonly slots: StreamSlot[];
  protected readonly only: StreamSlot;
  protected readonly multi: boolean;
  protected errorStreak = 0;
  protected readonly frameIntervalUs: number;
  protected readonly requested: number;
  protected readonly adapter: ProtocolAdapter;
  private nextRequestId = 1;
  private nextTimer: NodeJS.Timeout | undefined;
  private idleWaiter: (() => void) | undefined;

  constructor(index: number, ctx: ClientContext) {
    super(index, ctx);
    this.frameIntervalUs = 1e6 / ctx.params.fps;
    this.requested = ctx.params.framesPerRequest === 'continuous' ? 0 : ctx.params.framesPerRequest;
    this.adapter = ctx.adapter;
    const n = Math.max(1, this.adapter.streams);
    this.slots = [];
    for (let i = 0; i < n; i++) this.slots.push(new StreamSlot(new PlaybackModel({ bufferDepth: ctx.params.bufferDepth, fps: ctx.params.fps, startMs: 0 }, ctx.collector.playback.recordDisplayLatency)));
    this.only = this.slots[0]!;
    this.multi = n > 1;
  }

  /** The client's session name for resume (built when a request needs it, not kept per client). */
  protected get session(): string {
    return `${this.ctx.sessionPrefix}-${this.index}`;
  }

  /** Width and height asked for, shared by every client of the cell. */
  protected get dims(): { width: number; height: number } {
    return cellDims(this.ctx.params);
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
    } else if (quiet > intervalUs) this.ping();
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

  protected endAll(cut: boolean): void {
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

  protected sendGenerate(slot: StreamSlot): void {
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

  protected contextOf(slot: StreamSlot, req: RequestState) {
    return requestContext(this.adapter, this.ctx.params, this.dims, this.index, this.session, req.id, slot.wireId, this.requested);
  }

  /** The next request: at once, or after a backoff when the server refused or failed the last one. */
  protected afterStream(slot: StreamSlot, failed: boolean): void {
    if (!failed) return this.next(slot);
    const delay = backoffDelayMs(this.errorStreak++, this.ctx.reconnect, this.ctx.random());
    this.clearNextTimer();
    this.nextTimer = setTimeout(() => {
      this.nextTimer = undefined;
      for (const s of this.slots) this.next(s);
    }, delay);
    if (this.stopping) this.notifyIdle();
  }

  protected clearNextTimer(): void {
    if (this.nextTimer) clearTimeout(this.nextTimer);
    this.nextTimer = undefined;
  }

  protected next(slot: StreamSlot): void {
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

  protected endStream(slot: StreamSlot, serverFrames: number | undefined, completed: boolean, cut = false, endUs = nowUs()): void {
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
  protected notifyIdle(): void {
    if (this.phase === 'open' && this.busy()) return;
    const w = this.idleWaiter;
    this.idleWaiter = undefined;
    w?.();
  }
}
