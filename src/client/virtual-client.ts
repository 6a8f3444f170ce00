// One virtual client: connects, streams generate requests back to back, and accounts for every
// frame. On a lost connection it reconnects (exponential backoff, full jitter) and resumes its
// stream by request id. The per-frame path parses the header in place and records into HDR
// without allocating.
import WebSocket from 'ws';
import { nowUs } from '../protocol/clock.js';
import { isFrame, readRequestId, readSeq, readTimeUs } from '../protocol/header.js';
import type { ClientMessage, ServerMessage } from '../protocol/messages.js';
import { backoffDelayMs } from './backoff.js';
import type { ClientContext } from './client-context.js';
import { PlaybackModel } from './playback-model.js';
import { RequestState } from './request-state.js';
import { latenessUs, scheduleAnchor } from './schedule.js';

export type ClientPhase = 'new' | 'connecting' | 'open' | 'waiting' | 'closed';

export class VirtualClient {
  phase: ClientPhase = 'new';
  /** Client time (µs) of the last message or pong: the heartbeat's view of liveness. */
  lastHeardUs = 0;
  private ws: WebSocket | undefined;
  private current: RequestState | undefined;
  private nextRequestId = 1;
  private stopping = false;
  private attempt = 0;
  private lostAtUs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiter: (() => void) | undefined;
  private readonly session: string;
  private readonly frameIntervalUs: number;
  private readonly requested: number;
  private readonly playback: PlaybackModel;
  private resolveClosed!: () => void;
  /** Settles once the client is done for good (closed after stop, or gave up reconnecting). */
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    readonly index: number,
    private readonly ctx: ClientContext,
  ) {
    this.session = `${ctx.sessionPrefix}-${index}`;
    this.frameIntervalUs = 1e6 / ctx.params.fps;
    this.requested = ctx.params.framesPerRequest === 'continuous' ? 0 : ctx.params.framesPerRequest;
    this.playback = new PlaybackModel({ bufferDepth: ctx.params.bufferDepth, fps: ctx.params.fps, startMs: 0 }, ctx.collector.playback.recordDisplayLatency);
  }

  start(): void {
    this.phase = 'connecting';
    const startedUs = nowUs();
    const addrs = this.ctx.localAddresses;
    const ws = new WebSocket(this.ctx.url, addrs?.length ? { ...this.ctx.wsOptions, localAddress: addrs[this.index % addrs.length] } : this.ctx.wsOptions);
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => this.onOpen(startedUs));
    ws.on('message', this.onMessage);
    ws.on('pong', () => {
      this.lastHeardUs = nowUs();
    });
    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (this.phase === 'connecting') this.ctx.collector.connectFailed(`connect_${err.code ?? 'error'}`);
      else this.ctx.collector.error(`socket_${err.code ?? 'error'}`);
    });
    ws.on('unexpected-response', (_req, res) => {
      this.ctx.collector.connectFailed(`connect_http_${res.statusCode ?? 0}`);
      res.resume();
      ws.terminate();
    });
    ws.on('close', (code: number) => this.onClose(ws, code));
  }

  /** After warm-up: a continuous stream started unmeasured is replaced by a measured one. */
  rollover(): void {
    const req = this.current;
    if (!req || req.measured || !req.continuous || this.phase !== 'open') return;
    this.send({ type: 'cancel', requestId: req.id });
    this.endCurrent(undefined, false);
    this.sendGenerate();
  }

  /** No new requests; continuous streams are cancelled and their `done` awaited. */
  stop(): void {
    this.stopping = true;
    const req = this.current;
    if (req?.continuous && this.phase === 'open') this.send({ type: 'cancel', requestId: req.id });
    if (this.phase === 'new' || this.phase === 'waiting') this.finish();
  }

  /** Resolves when no request is in flight (after stop()). */
  whenIdle(): Promise<void> {
    if (!this.current || this.phase !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiter = resolve;
    });
  }

  /** Cuts any request still in flight (drain timeout: its frames not yet due are not lost) and closes the socket cleanly. */
  close(): void {
    this.stopping = true;
    this.endCurrent(undefined, false, true);
    const ws = this.ws;
    if (this.phase === 'waiting' || !ws) return this.finish();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }

  terminate(): void {
    this.stopping = true;
    if (this.ws) this.ws.terminate();
    else this.finish();
  }

  /** Chaos: destroys the socket without a close frame, like a crashed tab or a dropped link. */
  kill(): boolean {
    if (this.phase !== 'open' || !this.ws) return false;
    const socket = (this.ws as unknown as { _socket?: { destroy(): void } })._socket;
    if (socket) socket.destroy();
    else this.ws.terminate();
    return true;
  }

  /** Heartbeat check, called by the pool's timer: ping when quiet, reconnect when silent too long. */
  heartbeat(nowAtUs: number, intervalUs: number, timeoutUs: number): void {
    if (this.phase !== 'open' || !this.ws) return;
    const quiet = nowAtUs - this.lastHeardUs;
    if (quiet > timeoutUs) {
      this.ctx.collector.error('heartbeat_timeout');
      this.ws.terminate();
    } else if (quiet > intervalUs) this.ws.ping();
  }

  private onOpen(startedUs: number): void {
    const now = nowUs();
    this.phase = 'open';
    this.lastHeardUs = now;
    this.ctx.onConnection?.(1);
    const c = this.ctx.collector;
    if (this.attempt > 0 || this.lostAtUs > 0) c.reconnected(now - this.lostAtUs);
    else c.connected(now - startedUs);
    this.attempt = 0;
    this.lostAtUs = 0;
    if (this.stopping) return this.close();
    const req = this.current;
    if (req && this.ctx.reconnect.resume) this.send({ type: 'resume', session: this.session, requestId: req.id, lastSeq: req.maxSeq });
    else {
      this.endCurrent(undefined, false);
      this.sendGenerate();
    }
  }

  private onClose(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    const wasOpen = this.phase === 'open';
    if (wasOpen) {
      this.ctx.onConnection?.(-1);
      if (!this.stopping || this.current) this.ctx.collector.error(`closed_${code}`);
    }
    const policy = this.ctx.reconnect;
    const giveUp = this.stopping || !policy.enabled || (policy.maxAttempts > 0 && this.attempt >= policy.maxAttempts);
    if (giveUp) {
      this.endCurrent(undefined, false, this.stopping);
      this.notifyIdle();
      return this.finish();
    }
    if (wasOpen) this.lostAtUs = nowUs();
    else if (this.lostAtUs === 0) this.lostAtUs = nowUs();
    this.phase = 'waiting';
    const delay = backoffDelayMs(this.attempt++, policy, this.ctx.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopping) this.start();
    }, delay);
  }

  private finish(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.phase = 'closed';
    this.resolveClosed();
  }

  private sendGenerate(): void {
    const p = this.ctx.params;
    const measured = this.ctx.collector.measuring;
    const req = new RequestState(this.nextRequestId++, this.requested, measured, nowUs(), this.frameIntervalUs);
    this.current = req;
    if (measured) {
      this.ctx.collector.requestStarted();
      this.playback.reset(req.sentAtUs / 1000);
    }
    this.send({
      type: 'generate',
      requestId: req.id,
      session: this.session,
      format: p.format,
      resolution: p.resolution,
      quality: p.quality,
      fps: p.fps,
      frames: this.requested,
      transport: p.transport,
    });
  }

  private send(msg: ClientMessage): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  private readonly onMessage = (data: Buffer, isBinary: boolean): void => {
    if (isBinary) {
      this.ctx.collector.binaryMessage();
      if (!isFrame(data)) {
        this.ctx.collector.error('bad_frame');
        return;
      }
      const timeUs = readTimeUs(data);
      this.onFrame(readRequestId(data), readSeq(data), timeUs, data.length);
      // A gateway stamps generator → gateway µs into the header's reserved field (0 elsewhere).
      const hopUs = data.readUInt32BE(28);
      if (hopUs !== 0) this.onHops(hopUs, timeUs);
      return;
    }
    this.ctx.collector.textMessage();
    this.lastHeardUs = nowUs();
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data.toString()) as ServerMessage;
    } catch {
      this.ctx.collector.error('bad_json_from_server');
      return;
    }
    this.onControl(msg, data.length);
  };

  private onFrame(requestId: number, seq: number, timeUs: number, bytes: number): void {
    const now = nowUs();
    this.lastHeardUs = now;
    const req = this.current;
    if (!req || req.id !== requestId) return;
    if (!req.mark(seq)) return;
    req.bytes += bytes;
    const c = this.ctx.collector;
    if (req.received === 1) {
      req.firstArrivalUs = now;
      req.anchorUs = scheduleAnchor(now, seq, this.frameIntervalUs);
      if (req.measured) c.firstFrameOf(now - req.sentAtUs);
    }
    if (req.measured) this.playback.arrive(now / 1000, (timeUs - this.ctx.offsetUs) / 1000);
    if (c.measuring) c.frame(now + this.ctx.offsetUs - timeUs, latenessUs(now, req.anchorUs, seq, this.frameIntervalUs), bytes);
  }

  private onHops(generatorToGatewayUs: number, timeUs: number): void {
    const c = this.ctx.collector;
    c.hop('generatorToGateway', generatorToGatewayUs);
    c.hop('gatewayToClient', Math.max(0, nowUs() + this.ctx.offsetUs - timeUs - generatorToGatewayUs));
  }

  private onControl(msg: ServerMessage, bytes: number): void {
    switch (msg.type) {
      case 'generation':
        if (this.current?.id === msg.requestId) this.ctx.collector.hop('queueWait', msg.queueWaitUs);
        return;
      case 'frame':
        this.onFrame(msg.requestId, msg.seq, msg.timeUs, bytes);
        return;
      case 'done':
        if (this.current?.id === msg.requestId) this.endCurrent(msg.frames, true);
        this.next();
        return;
      case 'resumed':
        if (this.current?.id === msg.requestId) this.ctx.collector.resumed();
        return;
      case 'error':
        this.ctx.collector.error(`server_${msg.code}`);
        if (msg.requestId !== undefined && this.current?.id === msg.requestId) {
          this.endCurrent(undefined, false);
          this.next();
        }
        return;
      default:
        return;
    }
  }

  private next(): void {
    if (this.current) return;
    if (this.stopping || this.phase !== 'open') {
      this.notifyIdle();
      return;
    }
    this.sendGenerate();
  }

  private endCurrent(serverFrames: number | undefined, completed: boolean, cut = false): void {
    const req = this.current;
    if (!req) return;
    this.current = undefined;
    if (!req.measured) return;
    const now = nowUs();
    const c = this.ctx.collector;
    c.requestEnded(req, req.expected(serverFrames, { atUs: now, cut, windowEndUs: c.measureEndUs }), completed);
    c.playback.add(this.playback.finish(now / 1000));
  }

  private notifyIdle(): void {
    const w = this.idleWaiter;
    this.idleWaiter = undefined;
    w?.();
  }
}
