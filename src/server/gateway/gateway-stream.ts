// One stream on a gateway: listens on its Redis channel, forwards frames in sequence order to the
// client with the send-buffer cap (over it: dropped and counted; above half of it the generator is
// paused), stamps each frame with its generator → gateway time, replays the Redis window after a
// resume, and retries the job when its generator goes silent.
import type WebSocket from 'ws';
import { nowUs } from '../../protocol/clock.js';
import { isFrame, readSeq, readTimeUs } from '../../protocol/header.js';
import type { FrameMessage, Transport } from '../../protocol/messages.js';
import { controlChannel, replayKey, type ChannelMessage, type ControlMessage, type GenerationJob } from '../../protocol/queue.js';
import { frameOfJson, jsonFrameOf } from './envelope.js';
import type { ChannelListener, GatewayHub } from './hub.js';

/** What a stream needs from its connection. */
export interface StreamHost {
  readonly ws: WebSocket;
  streamEnded(stream: GatewayStream, frames: number): void;
  streamFailed(stream: GatewayStream, message: string): void;
  generationStarted(stream: GatewayStream, queueWaitUs: number, worker: string): void;
}

const OPEN = 1;
const TOUCH_MS = 250;
const MAX_HOP_US = 0xffffffff;

/** The work queue is over its limit: the request is refused instead of waiting without bound. */
export class QueueFullError extends Error {}

/** Live messages kept while a resume replays its window; beyond it they are dropped (and counted). */
const MAX_HELD_DURING_REPLAY = 10_000;
/** Messages waiting behind a resume burst above which the generator is paused. */
const HELD_PAUSE = 50;
const DRAIN_POLL_MS = 10;

export class GatewayStream implements ChannelListener {
  /** Highest seq forwarded (or known delivered, after a resume). */
  lastSeq: number;
  dropped = 0;
  paused = false;
  started = false;
  /** Gateway time (ms) of the last message from the generator, or of the (re)enqueue. */
  lastHeardMs = Date.now();
  active = true;
  private replaying: Buffer[] | undefined;
  private touchedMs = 0;
  private firstSeen = false;

  constructor(
    private readonly host: StreamHost,
    private readonly hub: GatewayHub,
    public job: GenerationJob,
    readonly session: string | undefined,
    readonly transport: Transport,
    lastSeq = -1,
  ) {
    this.lastSeq = lastSeq;
  }

  get requestId(): number {
    return this.job.requestId;
  }

  /** Subscribes (before enqueueing, so no frame is missed) and pushes the job. */
  async begin(): Promise<void> {
    await this.hub.listen(this.job.channel, this);
    await this.hub.saveStream(this.job, this.session, this.transport);
    const length = await this.hub.cmd.lpush(this.hub.opts.queue, JSON.stringify(this.job));
    this.hub.counters.enqueued++;
    if (length > this.hub.opts.maxQueue) {
      await this.hub.cmd.lrem(this.hub.opts.queue, 1, JSON.stringify(this.job)).catch(() => undefined);
      this.hub.counters.enqueued--;
      this.hub.counters.queueFull++;
      throw new QueueFullError(`the work queue ${this.hub.opts.queue} holds ${length - 1} jobs (limit ${this.hub.opts.maxQueue}): the generators are not keeping up`);
    }
  }

  /**
   * Resume on this gateway: subscribe, then replay the window after lastSeq (live messages wait
   * meanwhile); returns the first seq that will be forwarded.
   */
  async resume(): Promise<number> {
    this.replaying = [];
    this.started = true;
    await this.hub.listen(this.job.channel, this);
    const window = await this.hub.cmd.lrangeBuffer(replayKey(this.job.channel), 0, -1);
    // Read after subscribing: an end published before it is in the state, one after it arrives live.
    const end = await this.hub.hasEnded(this.job.streamId);
    const frames = window.map((m) => this.asFrame(m)).filter((f): f is Buffer => f !== undefined && readSeq(f) > this.lastSeq);
    const fromSeq = frames.length > 0 ? readSeq(frames[0]!) : this.lastSeq + 1;
    return this.finishResume(frames, end, fromSeq);
  }

  /** After the caller sent `resumed`: the window, then the live messages that came meanwhile. */
  private finishResume(frames: Buffer[], end: { ended: boolean; generated: number | undefined }, fromSeq: number): number {
    const held = this.replaying ?? [];
    this.hub.counters.replayed += frames.length;
    this.replaying = [...frames, ...held];
    setImmediate(() => this.drainHeld(end));
    return fromSeq;
  }

  /**
   * Forwards the replay window and the live messages held meanwhile only as fast as the client
   * reads (send buffer under half its cap), so a resume burst is not dropped by the cap; the
   * generator is paused while many messages wait.
   */
  private drainHeld(end: { ended: boolean; generated: number | undefined }): void {
    const queue = this.replaying;
    if (!this.active || !queue) return;
    const ws = this.host.ws;
    const half = this.hub.opts.maxBufferBytes / 2;
    while (queue.length > 0 && ws.readyState === OPEN && ws.bufferedAmount <= half) this.handle(queue.shift()!);
    if (queue.length > 0 && ws.readyState === OPEN) {
      if (!this.paused && queue.length > HELD_PAUSE) {
        this.paused = true;
        this.hub.counters.pauses++;
        this.control({ type: 'pause' });
      }
      setTimeout(() => this.drainHeld(end), DRAIN_POLL_MS);
      return;
    }
    this.replaying = undefined;
    if (end.ended && this.active) this.host.streamEnded(this, end.generated ?? this.lastSeq + 1);
  }

  onChannelMessage(msg: Buffer): void {
    if (!this.active) return;
    if (this.replaying) {
      if (this.replaying.length < MAX_HELD_DURING_REPLAY) this.replaying.push(msg);
      else this.hub.counters.replayOverflow++;
      return;
    }
    this.handle(msg);
  }

  private handle(msg: Buffer): void {
    if (!this.active) return;
    if (isFrame(msg)) {
      this.lastHeardMs = Date.now();
      return this.forward(msg);
    }
    let m: ChannelMessage | (Partial<FrameMessage> & { type: 'frame' });
    try {
      m = JSON.parse(msg.toString('utf8')) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'frame') {
      this.lastHeardMs = Date.now();
      const f = frameOfJson(m);
      if (f) this.forward(f);
      return;
    }
    // A replaced generator's messages neither steer the stream nor keep it from being retried.
    if ('attempt' in m && m.attempt !== this.job.attempt) return;
    this.lastHeardMs = Date.now();
    if (m.type === 'start') {
      this.started = true;
      this.hub.queueWait.observe(m.queueWaitUs / 1e6);
      if (m.attempt === 0) this.host.generationStarted(this, m.queueWaitUs, m.worker);
    } else if (m.type === 'end') this.host.streamEnded(this, m.frames);
    else if (m.type === 'failed') this.retry(`generator ${m.message}`);
  }

  /** Called by the gateway's watchdog: a silent stream has lost its generator. */
  async check(nowMs: number): Promise<void> {
    // Generators send `alive` every second while they publish no frame (loading, first frame, slow).
    if (!this.active || this.paused || this.replaying || nowMs - this.lastHeardMs < this.hub.opts.generatorTimeoutMs) return;
    if (!this.started) {
      const queued = await this.hub.cmd.lpos(this.hub.opts.queue, JSON.stringify(this.job)).catch(() => null);
      if (queued !== null) {
        this.lastHeardMs = nowMs;
        return;
      }
    }
    this.retry('went silent');
  }

  /** Stops listening; `cancel` also tells the generator to stop. */
  stop(cancel: boolean): void {
    if (!this.active) return;
    this.active = false;
    this.hub.unlisten(this.job.channel, this);
    if (cancel) this.control({ type: 'cancel' });
    else this.hub.touchStream(this.job, this.session, this.lastSeq);
  }

  private retry(why: string): void {
    const c = this.hub.counters;
    if (this.job.attempt >= this.hub.opts.maxRetries) {
      c.generatorFailures++;
      this.control({ type: 'cancel', attempt: this.job.attempt });
      this.host.streamFailed(this, `the generator of request ${this.requestId} ${why} and ${this.job.attempt} retries are used up`);
      return;
    }
    c.generatorRetries++;
    this.hub.log(`${this.hub.opts.gatewayId}: stream ${this.job.streamId} ${why}; retrying from seq ${this.lastSeq + 1}`);
    this.control({ type: 'cancel', attempt: this.job.attempt });
    this.job = { ...this.job, attempt: this.job.attempt + 1, fromSeq: this.lastSeq + 1, enqueuedUs: nowUs() };
    this.started = false;
    this.firstSeen = false;
    this.paused = false;
    this.hub.touchStream(this.job, this.session, this.lastSeq);
    void this.requeue();
  }

  /** A retry goes to the consumers' end of the queue: it is taken next. */
  private async requeue(): Promise<void> {
    const text = JSON.stringify(this.job);
    this.lastHeardMs = Date.now();
    try {
      await this.hub.cmd.rpush(this.hub.opts.queue, text);
      this.hub.counters.enqueued++;
    } catch {
      this.hub.counters.enqueueFailures++;
    }
  }

  private asFrame(m: Buffer): Buffer | undefined {
    if (isFrame(m)) return m;
    try {
      const j = JSON.parse(m.toString('utf8')) as Partial<FrameMessage>;
      return j.type === 'frame' ? frameOfJson(j) : undefined;
    } catch {
      return undefined;
    }
  }

  private forward(frame: Buffer): void {
    const seq = readSeq(frame);
    const hub = this.hub;
    if (seq <= this.lastSeq) {
      hub.counters.duplicates++;
      return;
    }
    this.lastSeq = seq;
    const recvUs = nowUs();
    const hopUs = Math.min(MAX_HOP_US, Math.max(1, Math.round(recvUs - readTimeUs(frame))));
    frame.writeUInt32BE(hopUs, 28);
    hub.generatorToGateway.observe(hopUs / 1e6);
    if (!this.firstSeen) {
      this.firstSeen = true;
      if (this.job.attempt === 0 && this.job.fromSeq === 0) hub.firstFrame.observe(Math.max(0, recvUs - this.job.enqueuedUs) / 1e6);
    }
    const ws = this.host.ws;
    const stats = hub.stats;
    if (ws.readyState !== OPEN) return;
    const buffered = ws.bufferedAmount;
    const cap = hub.opts.maxBufferBytes;
    if (buffered > cap) {
      this.dropped++;
      stats.framesDropped++;
    } else if (this.transport === 'binary') {
      ws.send(frame);
      stats.framesSent++;
      stats.bytesSent += frame.length;
    } else {
      const text = jsonFrameOf(frame, seq, this.requestId);
      ws.send(text);
      stats.framesSent++;
      stats.bytesSent += text.length;
    }
    this.backpressure(buffered, cap);
    const now = Date.now();
    if (now - this.touchedMs > TOUCH_MS) {
      this.touchedMs = now;
      hub.touchStream(this.job, this.session, seq);
    }
  }

  /** Pauses the generator above half the cap, resumes it below a quarter (checked per frame and by the watchdog). */
  backpressure(buffered = this.host.ws.bufferedAmount, cap = this.hub.opts.maxBufferBytes): void {
    if (!this.paused && buffered > cap / 2) {
      this.paused = true;
      this.hub.counters.pauses++;
      this.control({ type: 'pause' });
    } else if (this.paused && buffered < cap / 4 && this.replaying === undefined) {
      this.paused = false;
      this.lastHeardMs = Date.now();
      this.control({ type: 'resume' });
    }
  }

  private control(m: ControlMessage): void {
    this.hub.cmd.publish(controlChannel(this.job.channel), JSON.stringify(m)).catch(() => this.hub.counters.redisErrors++);
  }
}
