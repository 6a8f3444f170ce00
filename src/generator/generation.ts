// One generation: publishes a job's frames on its channel at the modelled pace, stamped with their
// generation time, keeps the replay window in Redis, waits while the gateway reports backpressure,
// and stops when cancelled, when nobody listens any more, or after the last frame.
import { nowUs } from '../protocol/clock.js';
import { HEADER_BYTES, writeHeader, type FrameHeader } from '../protocol/header.js';
import { replayKey, streamKey, type ChannelMessage, type Envelope, type GenerationJob } from '../protocol/queue.js';
import type { Redis } from '../redis/connect.js';
import type { Rng } from '../random.js';
import type { PreparedFrames } from '../server/frame-source.js';
import { firstFrameDelayMs, frameIntervalMs, type PaceModel } from './pace.js';
import type { GeneratorStats } from './options.js';

export interface GenerationEnv {
  redis: Redis;
  envelope: Envelope;
  pace: PaceModel;
  replayFrames: number;
  replayTtlMs: number;
  orphanMs: number;
  workerId: string;
  rng: Rng;
  stats: GeneratorStats;
  /** Current slowdown of this worker (1 = normal); read per frame so /admin/slow acts at once. */
  slowFactor(): number;
}

export type GenerationEnd = 'completed' | 'cancelled' | 'orphaned';

const PAUSE_POLL_MS = 20;
export const KEEPALIVE_MS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class Generation {
  paused = false;
  cancelled = false;
  private lastPublishMs = Date.now();

  private frames!: PreparedFrames;
  private header!: FrameHeader;

  constructor(
    readonly job: GenerationJob,
    private readonly env: GenerationEnv,
  ) {}

  /** Tells the gateway the job is taken (before the corpus entry loads, which may take a while once). */
  /**
   * Runs the generation; while no frame goes out for a second (corpus loading, time to first frame,
   * a slow model, a pause) an `alive` message tells the gateway the generator still works on it.
   */
  async run(load: () => Promise<PreparedFrames>): Promise<GenerationEnd> {
    const keepalive = setInterval(() => {
      if (Date.now() - this.lastPublishMs >= KEEPALIVE_MS - 50) void this.publishJson({ type: 'alive', streamId: this.job.streamId, attempt: this.job.attempt });
    }, KEEPALIVE_MS);
    try {
      return await this.generate(load);
    } finally {
      clearInterval(keepalive);
    }
  }

  private async generate(load: () => Promise<PreparedFrames>): Promise<GenerationEnd> {
    const { job, env } = this;
    const takenUs = nowUs();
    const firstMs = firstFrameDelayMs(env.pace, env.rng);
    await this.publishJson({ type: 'start', streamId: job.streamId, attempt: job.attempt, worker: env.workerId, queueWaitUs: Math.max(0, takenUs - job.enqueuedUs), firstFrameUs: firstMs * 1000 });
    const frames = (this.frames = await load());
    this.header = { format: frames.formatCode, requestId: job.requestId, seq: 0, timeUs: 0, width: frames.width, height: frames.height, payloadBytes: 0 };
    const startUs = nowUs();
    let dueUs = startUs + firstMs * 1000;
    let quietSinceUs = 0;
    let seq = job.fromSeq;
    for (; job.frames === 0 || seq < job.frames; seq++) {
      await sleep((dueUs - nowUs()) / 1000);
      if (this.paused) dueUs = Math.max(dueUs, await this.waitWhilePaused());
      if (this.cancelled) return this.finish('cancelled', seq);
      const listeners = await this.publishFrame(seq, dueUs);
      if (listeners === 0) {
        quietSinceUs ||= nowUs();
        if (nowUs() - quietSinceUs > env.orphanMs * 1000) return this.finish('orphaned', seq + 1);
      } else quietSinceUs = 0;
      dueUs += frameIntervalMs(env.pace, job.fps, env.slowFactor(), env.rng) * 1000;
    }
    return this.finish('completed', seq);
  }

  /** Returns when resumed or cancelled; the time then, µs. */
  private async waitWhilePaused(): Promise<number> {
    const s = this.env.stats;
    s.backpressurePauses++;
    const from = nowUs();
    while (this.paused && !this.cancelled) await sleep(PAUSE_POLL_MS);
    const now = nowUs();
    s.pausedMs += (now - from) / 1000;
    return now;
  }

  private async finish(end: GenerationEnd, frames: number): Promise<GenerationEnd> {
    if (end === 'completed') {
      const key = streamKey(this.job.streamId);
      await this.env.redis
        .multi()
        .hset(key, 'ended', '1', 'generated', String(frames))
        .pexpire(key, this.env.replayTtlMs)
        .exec()
        .catch(() => undefined);
      await this.publishJson({ type: 'end', streamId: this.job.streamId, attempt: this.job.attempt, frames });
    }
    return end;
  }

  /** Publishes one frame (and appends it to the replay window); returns the subscribers reached, -1 on failure. */
  private async publishFrame(seq: number, genUs: number): Promise<number> {
    const env = this.env;
    const payload = this.frames.payloads[seq % this.frames.count]!;
    const h = this.header;
    h.seq = seq;
    h.timeUs = genUs;
    h.payloadBytes = payload.length;
    let msg: Buffer;
    if (env.envelope === 'raw') {
      msg = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
      writeHeader(msg, h);
      payload.copy(msg, HEADER_BYTES);
    } else {
      const f = this.frames;
      msg = Buffer.from(JSON.stringify({ type: 'frame', requestId: h.requestId, seq, timeUs: genUs, width: f.width, height: f.height, format: f.format, data: payload.toString('base64') }));
    }
    const channel = this.job.channel;
    try {
      let listeners: number;
      if (env.replayFrames > 0) {
        const key = replayKey(channel);
        const res = await env.redis.multi().publish(channel, msg).rpush(key, msg).ltrim(key, -env.replayFrames, -1).pexpire(key, env.replayTtlMs).exec();
        listeners = Number(res?.[0]?.[1] ?? 0);
      } else listeners = await env.redis.publish(channel, msg);
      env.stats.framesPublished++;
      this.lastPublishMs = Date.now();
      env.stats.bytesPublished += msg.length;
      return listeners;
    } catch {
      env.stats.publishFailures++;
      return -1;
    }
  }

  private async publishJson(m: ChannelMessage): Promise<void> {
    try {
      await this.env.redis.publish(this.job.channel, JSON.stringify(m));
    } catch {
      this.env.stats.publishFailures++;
    }
  }
}
