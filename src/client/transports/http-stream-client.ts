// Shared lifecycle of the HTTP-transport clients (SSE, polling): one request at a time, back to
// back, each accounted like a WebSocket client's (RequestState: expected = received + lost,
// lateness on the stream's schedule, first-frame time, playback model), on a keep-alive
// connection whose bytes are counted on the wire. A failed request is counted and the next one
// starts after the reconnect backoff.
import { nowUs } from '../../protocol/clock.js';
import { backoffDelayMs } from '../backoff.js';
import type { ClientContext } from '../client-context.js';
import { PlaybackModel } from '../playback-model.js';
import { RequestState } from '../request-state.js';
import { latenessUs, scheduleAnchor } from '../schedule.js';
import type { ClientPhase } from '../virtual-client.js';
import type { LoadClient } from './load-client-type.js';
import { httpOrigin, WireMeter } from './wire-meter.js';

export abstract class HttpStreamClient implements LoadClient {
  phase: ClientPhase = 'new';
  protected current: RequestState | undefined;
  protected meter: WireMeter;
  /** Bytes of the meters replaced so far (`connection: per-request` opens a new agent per request). */
  private bytesBefore = 0;
  protected readonly origin: string;
  protected readonly token: string | undefined;
  protected readonly frameIntervalUs: number;
  protected readonly requested: number;
  protected stopping = false;
  private nextRequestId = 1;
  private failures = 0;
  private lastBytes = 0;
  private lastFrameUs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiter: (() => void) | undefined;
  private readonly playback: PlaybackModel;
  private resolveClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    readonly index: number,
    protected readonly ctx: ClientContext,
  ) {
    this.frameIntervalUs = 1e6 / ctx.params.fps;
    this.requested = ctx.params.framesPerRequest === 'continuous' ? 0 : ctx.params.framesPerRequest;
    this.playback = new PlaybackModel({ bufferDepth: ctx.params.bufferDepth, fps: ctx.params.fps, startMs: 0 }, ctx.collector.playback.recordDisplayLatency);
    this.origin = httpOrigin(ctx.url);
    this.token = new URL(ctx.url).searchParams.get('token') ?? undefined;
    this.meter = this.newMeter();
  }

  private newMeter(): WireMeter {
    const addrs = this.ctx.localAddresses;
    const c = this.ctx.collector;
    return new WireMeter(
      {
        connected: (us) => c.connected(us),
        connectFailed: (kind) => c.connectFailed(kind),
        connection: (d) => this.ctx.onConnection?.(d),
      },
      addrs?.length ? addrs[this.index % addrs.length] : undefined,
    );
  }

  /** Starts streaming `req` (the transport's request); frames go to onFrame, the end to endRequest. */
  protected abstract open(req: RequestState): void;
  /** Stops the transport's work for `req` without accounting (it is already ended). */
  protected abstract abort(req: RequestState): void;

  start(): void {
    this.phase = 'open';
    this.begin();
  }

  rollover(): void {
    const req = this.current;
    if (!req || req.measured || !req.continuous || this.phase !== 'open') return;
    this.current = undefined;
    this.abort(req);
    this.begin();
  }

  stop(): void {
    this.stopping = true;
    const req = this.current;
    // A continuous stream ends here: frames after the last one received were cut, not lost.
    if (req?.continuous) this.endRequest(req, req.maxSeq + 1, true, false, true);
    if (!this.current) this.notifyIdle();
    if (this.phase === 'new') this.finish();
  }

  whenIdle(): Promise<void> {
    if (!this.current || this.phase !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiter = resolve;
    });
  }

  close(): void {
    this.stopping = true;
    const req = this.current;
    if (req) this.endRequest(req, undefined, false);
    this.finish();
  }

  terminate(): void {
    this.close();
  }

  kill(): boolean {
    return this.phase === 'open' && this.meter.destroySockets() > 0;
  }

  /** HTTP transports rely on the connection's header and body timeouts instead of pings. */
  heartbeat(_nowAtUs: number, _intervalUs: number, _timeoutUs: number): void {}

  protected begin(): void {
    if (this.stopping || this.phase !== 'open') return this.notifyIdle();
    // connection: per-request — nothing kept alive between requests: each one opens a new connection.
    if (this.ctx.params.connection === 'per-request' && this.nextRequestId > 1) {
      this.bytesBefore += this.meter.bytes();
      this.meter.close();
      this.meter = this.newMeter();
    }
    const measured = this.ctx.collector.measuring;
    const req = new RequestState(this.nextRequestId++, this.requested, measured, nowUs(), this.frameIntervalUs);
    this.current = req;
    if (measured) {
      this.ctx.collector.requestStarted();
      this.playback.reset(req.sentAtUs / 1000);
    }
    this.open(req);
  }

  /** One frame of `req` arrived: the same accounting as the WebSocket client, bytes from the wire. */
  protected onFrame(req: RequestState, requestId: number, seq: number, timeUs: number, payloadBytes?: number): void {
    if (this.current !== req || req.id !== requestId) return;
    const now = nowUs();
    const wire = this.bytesBefore + this.meter.bytes();
    const bytes = wire - this.lastBytes;
    this.lastBytes = wire;
    if (!req.mark(seq)) return;
    req.bytes += bytes;
    this.failures = 0;
    const c = this.ctx.collector;
    if (req.received === 1) {
      req.firstArrivalUs = now;
      req.anchorUs = scheduleAnchor(now, seq, this.frameIntervalUs);
      if (req.measured) c.firstFrameOf(now - req.sentAtUs);
    }
    // without a server timestamp (foreign servers) inter-arrival gaps stand in for frame latency
    const gapUs = req.received === 1 || timeUs === timeUs ? Number.NaN : now - this.lastFrameUs;
    this.lastFrameUs = now;
    if (req.measured) this.playback.arrive(now / 1000, (timeUs - this.ctx.offsetUs) / 1000);
    if (c.measuring) c.frame(now + this.ctx.offsetUs - timeUs, latenessUs(now, req.anchorUs, seq, this.frameIntervalUs), bytes, gapUs, payloadBytes ?? bytes);
  }

  /** Ends `req`: completed (server said done) or failed (counted error already); starts the next. */
  protected endRequest(req: RequestState, serverFrames: number | undefined, completed: boolean, failed = false, cut = false): void {
    if (this.current !== req) return;
    this.current = undefined;
    this.abort(req);
    if (req.measured) {
      const now = nowUs();
      const c = this.ctx.collector;
      c.requestEnded(req, req.expected(serverFrames, { atUs: now, cut, windowEndUs: c.measureEndUs }), completed);
      const span = this.lastFrameUs - req.firstArrivalUs;
      c.streamEnded(completed ? now - req.sentAtUs : Number.NaN, req.received >= 2 && span > 0 ? ((req.received - 1) * 1e6) / span : Number.NaN, req.received, req.requested);
      c.playback.add(this.playback.finish(now / 1000));
    }
    if (this.stopping) return this.notifyIdle();
    if (!failed) return this.begin();
    const policy = this.ctx.reconnect;
    this.failures++;
    if (!policy.enabled || (policy.maxAttempts > 0 && this.failures > policy.maxAttempts)) {
      this.notifyIdle();
      return this.finish();
    }
    const delay = backoffDelayMs(this.failures - 1, policy, this.ctx.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.begin();
    }, delay);
  }

  private finish(): void {
    if (this.phase === 'closed') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.phase = 'closed';
    this.meter.close();
    this.notifyIdle();
    this.resolveClosed();
  }

  private notifyIdle(): void {
    const w = this.idleWaiter;
    this.idleWaiter = undefined;
    w?.();
  }
}
