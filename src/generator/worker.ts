// A generator process: takes jobs from the Redis work queue (BLMOVE into its own processing list,
// so a slow worker never holds jobs it has no slot for), runs up to `concurrency` generations at a
// time, and follows the gateways' pause/resume/cancel messages on each stream's control channel.
import { FrameCorpus } from '../frames/corpus.js';
import { nowUs } from '../protocol/clock.js';
import { controlChannel, normalizeJob, processingKey, type ControlMessage, type GenerationJob } from '../protocol/queue.js';
import { connectRedis, redisConnection, type Redis } from '../redis/connect.js';
import { mulberry32 } from '../random.js';
import { FrameSource } from '../server/frame-source.js';
import { SERVER_DEFAULTS } from '../server/options.js';
import { StatsCounters } from '../server/stats.js';
import { Generation, type GenerationEnv } from './generation.js';
import { resolveGeneratorOptions, type GeneratorOptions, type GeneratorStats, type ResolvedGeneratorOptions } from './options.js';
import { isSlowWorker } from './pace.js';

const BLOCK_SECONDS = 1;
const RETRY_MS = 250;

export class GeneratorWorker {
  readonly options: ResolvedGeneratorOptions;
  readonly stats: GeneratorStats;
  private readonly cmd: Redis;
  private readonly block: Redis;
  private readonly sub: Redis;
  private readonly source: FrameSource;
  private readonly running = new Map<string, Generation>();
  private readonly busySince = new Map<Generation, number>();
  private readonly slots: Array<() => void> = [];
  private stopping = false;
  private loop: Promise<void> | undefined;
  private slowUntil = 0;
  private adminSlow = 1;
  private readonly baseSlow: number;
  private readonly env: GenerationEnv;

  constructor(opts: GeneratorOptions) {
    const o = (this.options = resolveGeneratorOptions(opts));
    const rng = mulberry32(o.seed);
    this.baseSlow = isSlowWorker(o.pace, rng) ? o.pace.slowFactor : 1;
    this.stats = {
      capacity: o.concurrency,
      active: 0,
      jobs: 0,
      completed: 0,
      cancelled: 0,
      orphaned: 0,
      failed: 0,
      framesPublished: 0,
      bytesPublished: 0,
      publishFailures: 0,
      backpressurePauses: 0,
      pausedMs: 0,
      busyMs: 0,
      queueDepth: 0,
      slowFactor: this.baseSlow,
    };
    this.cmd = redisConnection(o.redisUrl, `${o.workerId}-cmd`, o.onLog);
    this.block = redisConnection(o.redisUrl, `${o.workerId}-queue`, o.onLog);
    this.sub = redisConnection(o.redisUrl, `${o.workerId}-control`, o.onLog);
    const d = SERVER_DEFAULTS;
    this.source = new FrameSource(
      new FrameCorpus({ cacheDir: o.cacheDir }),
      o.corpusFrames,
      { maxEntries: d.maxCorpusEntries, maxBytes: d.maxCorpusBytes, encodeConcurrency: d.encodeConcurrency, maxQueuedEncodes: d.maxQueuedEncodes },
      new StatsCounters(),
    );
    this.env = {
      redis: this.cmd,
      envelope: o.envelope,
      pace: o.pace,
      replayFrames: o.replayFrames,
      replayTtlMs: o.replayTtlMs,
      orphanMs: o.orphanMs,
      workerId: o.workerId,
      rng,
      stats: this.stats,
      slowFactor: () => this.slowFactor(),
    };
    this.sub.on('message', (channel: string, text: string) => this.onControl(channel, text));
  }

  async start(): Promise<void> {
    const url = this.options.redisUrl;
    await Promise.all([connectRedis(this.cmd, url), connectRedis(this.block, url), connectRedis(this.sub, url)]);
    // Jobs a previous process of this worker id held when it died: their gateways have retried them.
    await this.cmd.del(processingKey(this.options.queue, this.options.workerId));
    this.loop = this.takeJobs();
  }

  /** Slows every generation of this worker by `factor` for `forMs` (chaos: a slow model). */
  slowDown(factor: number, forMs: number): void {
    this.adminSlow = factor;
    this.slowUntil = Date.now() + forMs;
  }

  slowFactor(): number {
    if (this.adminSlow !== 1 && Date.now() > this.slowUntil) this.adminSlow = 1;
    const f = this.baseSlow * this.adminSlow;
    this.stats.slowFactor = f;
    return f;
  }

  /** Stats with busy time up to now and the queue depth read from Redis. */
  async snapshot(): Promise<GeneratorStats> {
    const now = Date.now();
    let busy = this.stats.busyMs;
    for (const since of this.busySince.values()) busy += now - since;
    let depth = this.stats.queueDepth;
    try {
      depth = this.stats.queueDepth = await this.cmd.llen(this.options.queue);
    } catch {
      /* Redis away: keep the last depth read */
    }
    return { ...this.stats, busyMs: busy, queueDepth: depth, slowFactor: this.slowFactor() };
  }

  /** Stops taking jobs; running generations are cancelled (their gateways retry them elsewhere). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const g of this.running.values()) g.cancelled = true;
    for (const wake of this.slots.splice(0)) wake();
    this.block.disconnect();
    await this.loop?.catch(() => undefined);
    const deadline = Date.now() + 2000;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  private async takeJobs(): Promise<void> {
    const o = this.options;
    const processing = processingKey(o.queue, o.workerId);
    while (!this.stopping) {
      if (this.running.size >= o.concurrency) {
        await new Promise<void>((resolve) => this.slots.push(resolve));
        continue;
      }
      let text: string | null;
      try {
        text = await this.block.blmove(o.queue, processing, 'RIGHT', 'LEFT', BLOCK_SECONDS);
      } catch {
        if (!this.stopping) await new Promise((r) => setTimeout(r, RETRY_MS));
        continue;
      }
      if (text === null) continue;
      let job: GenerationJob | undefined;
      try {
        job = normalizeJob(JSON.parse(text), o.channel, nowUs());
      } catch {
        job = undefined;
      }
      if (!job) {
        this.stats.failed++;
        o.onLog?.(`${o.workerId}: dropped a malformed job from ${o.queue}: ${text.slice(0, 120)}`);
        await this.cmd.lrem(processing, 1, text).catch(() => undefined);
        continue;
      }
      void this.generate(job, text, processing);
    }
  }

  private async generate(job: GenerationJob, text: string, processing: string): Promise<void> {
    this.stats.jobs++;
    this.stats.active++;
    const control = controlChannel(job.channel);
    let g: Generation | undefined;
    try {
      g = new Generation(job, this.env);
      this.running.set(job.streamId, g);
      this.busySince.set(g, Date.now());
      await this.sub.subscribe(control).catch(() => undefined);
      const key = { format: job.format, width: job.width, height: job.height, quality: job.quality, frames: this.options.corpusFrames };
      const end = await g.run(() => this.source.get(key));
      this.stats[end]++;
    } catch (err) {
      this.stats.failed++;
      this.options.onLog?.(`${this.options.workerId}: generation ${job.streamId} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (g) {
        this.stats.busyMs += Date.now() - (this.busySince.get(g) ?? Date.now());
        this.busySince.delete(g);
        if (this.running.get(job.streamId) === g) this.running.delete(job.streamId);
      }
      this.stats.active--;
      await this.sub.unsubscribe(control).catch(() => undefined);
      await this.cmd.lrem(processing, 1, text).catch(() => undefined);
      this.slots.shift()?.();
    }
  }

  private onControl(channel: string, text: string): void {
    const streamChannel = channel.slice(0, -':control'.length);
    let msg: ControlMessage;
    try {
      msg = JSON.parse(text) as ControlMessage;
    } catch {
      return;
    }
    for (const g of this.running.values()) {
      if (g.job.channel !== streamChannel) continue;
      if (msg.type === 'pause') g.paused = true;
      else if (msg.type === 'resume') g.paused = false;
      else if (msg.type === 'cancel' && (msg.attempt === undefined || msg.attempt === g.job.attempt)) g.cancelled = true;
    }
  }
}
