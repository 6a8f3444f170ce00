// What every stream of a gateway shares: the Redis command and subscriber connections, the map
// from channel to the stream listening on it, counters and hop histograms, and the stream state
// kept in Redis (job, session → stream, last seq delivered) so another gateway can resume a stream.
import { Histogram, Registry } from 'prom-client';
import { sessionKey, streamKey, type GenerationJob } from '../../protocol/queue.js';
import type { Transport } from '../../protocol/messages.js';
import type { Redis } from '../../redis/connect.js';
import type { StatsCounters } from '../stats.js';
import { GatewayCounters, type ResolvedGatewayOptions } from './options.js';

/** A stream as the hub sees it: something that takes the channel's messages. */
export interface ChannelListener {
  onChannelMessage(msg: Buffer): void;
}

export interface StoredStream {
  job: GenerationJob;
  session: string | undefined;
  transport: Transport;
  lastSeq: number;
  ended: boolean;
  generated: number | undefined;
}

const BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayHub {
  readonly counters = new GatewayCounters();
  readonly registry = new Registry();
  readonly queueWait: Histogram;
  readonly firstFrame: Histogram;
  readonly generatorToGateway: Histogram;
  private readonly listeners = new Map<string, ChannelListener>();

  constructor(
    readonly opts: ResolvedGatewayOptions,
    readonly cmd: Redis,
    readonly sub: Redis,
    readonly stats: StatsCounters,
  ) {
    const registers = [this.registry];
    this.queueWait = new Histogram({ name: 'framebench_gateway_queue_wait_seconds', help: 'Enqueue to a generator taking the job.', buckets: BUCKETS_S, registers });
    this.firstFrame = new Histogram({ name: 'framebench_gateway_first_frame_seconds', help: 'Enqueue to the first frame reaching the gateway.', buckets: BUCKETS_S, registers });
    this.generatorToGateway = new Histogram({ name: 'framebench_gateway_generator_to_gateway_seconds', help: 'Frame generation (publish) to gateway receive.', buckets: BUCKETS_S, registers });
    sub.on('messageBuffer', (channel: Buffer, msg: Buffer) => this.listeners.get(channel.toString())?.onChannelMessage(msg));
  }

  get log(): (line: string) => void {
    return this.opts.onLog ?? ((): void => {});
  }

  async listen(channel: string, l: ChannelListener): Promise<void> {
    this.listeners.set(channel, l);
    await this.sub.subscribe(channel);
  }

  unlisten(channel: string, l: ChannelListener): void {
    if (this.listeners.get(channel) !== l) return;
    this.listeners.delete(channel);
    this.sub.unsubscribe(channel).catch(() => this.counters.redisErrors++);
  }

  /** Saves a new stream's job (and its session name) so another gateway can resume it. */
  async saveStream(job: GenerationJob, session: string | undefined, transport: Transport): Promise<void> {
    const key = streamKey(job.streamId);
    const ttl = this.stateTtlMs();
    const m = this.cmd.multi().hset(key, 'job', JSON.stringify(job), 'lastSeq', '-1', 'gateway', this.opts.gatewayId, 'transport', transport).pexpire(key, ttl);
    if (session !== undefined) m.hset(key, 'session', session).set(sessionKey(session, job.requestId), job.streamId, 'PX', ttl);
    await m.exec();
  }

  /** Refreshes a stream's state: last seq delivered, current job (after a retry) and the TTLs. */
  touchStream(job: GenerationJob, session: string | undefined, lastSeq: number): void {
    const key = streamKey(job.streamId);
    const ttl = this.stateTtlMs();
    const m = this.cmd.multi().hset(key, 'lastSeq', String(lastSeq), 'job', JSON.stringify(job), 'gateway', this.opts.gatewayId).pexpire(key, ttl);
    if (session !== undefined) m.pexpire(sessionKey(session, job.requestId), ttl);
    m.exec().catch(() => this.counters.redisErrors++);
  }

  /** Forgets a finished or cancelled stream. */
  dropStream(job: GenerationJob, session: string | undefined): void {
    const keys = [streamKey(job.streamId)];
    if (session !== undefined) keys.push(sessionKey(session, job.requestId));
    this.cmd.del(...keys).catch(() => this.counters.redisErrors++);
  }

  async findStream(session: string, requestId: number): Promise<StoredStream | undefined> {
    const id = await this.cmd.get(sessionKey(session, requestId));
    if (id === null) return undefined;
    const h = await this.cmd.hgetall(streamKey(id));
    if (!h.job) return undefined;
    let job: GenerationJob;
    try {
      job = JSON.parse(h.job) as GenerationJob;
    } catch {
      return undefined;
    }
    const transport: Transport = h.transport === 'base64-json' ? 'base64-json' : 'binary';
    return { job, session, transport, lastSeq: Number(h.lastSeq ?? -1), ended: h.ended === '1', generated: h.generated === undefined ? undefined : Number(h.generated) };
  }

  /** Whether the stream's state says the generator has published its last frame. */
  async hasEnded(streamId: string): Promise<{ ended: boolean; generated: number | undefined }> {
    const [ended, generated] = await this.cmd.hmget(streamKey(streamId), 'ended', 'generated');
    return { ended: ended === '1', generated: generated === null ? undefined : Number(generated) };
  }

  private stateTtlMs(): number {
    return Math.max(1000, this.opts.resumeGraceMs);
  }
}
