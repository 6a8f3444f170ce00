// Options of the reference server's gateway mode and the gateway's own counters.
import { DEFAULT_CHANNEL, DEFAULT_QUEUE, CHANNEL_PLACEHOLDER } from '../../protocol/queue.js';
import { UsageError } from '../../errors.js';
import { resolveServerOptions, type ServerOptions } from '../options.js';

export interface GatewayOptions extends Pick<ServerOptions, 'host' | 'port' | 'token' | 'maxBufferBytes' | 'maxMessageBytes' | 'heartbeatMs' | 'resumeGraceMs' | 'onLog'> {
  redisUrl: string;
  /** Redis list jobs are pushed on (default framebench:generate). */
  queue?: string;
  /** Frame channel template; {requestId} becomes the stream id (default frames:{requestId}). */
  channel?: string;
  /** Name in logs, metrics and stream ids (default gw-PID). */
  gatewayId?: string;
  /** A stream silent this long (not paused, not queued) has lost its generator: retried, ms (default 5000). */
  generatorTimeoutMs?: number;
  /** Retries of a stream after lost generators before it fails (default 2). */
  maxRetries?: number;
  /** Jobs the work queue may hold; a request beyond it is refused with queue_full (default 10000). */
  maxQueue?: number;
}

export interface ResolvedGatewayOptions {
  host: string;
  port: number;
  token: string | undefined;
  maxBufferBytes: number;
  maxMessageBytes: number;
  heartbeatMs: number;
  resumeGraceMs: number;
  redisUrl: string;
  queue: string;
  channel: string;
  gatewayId: string;
  generatorTimeoutMs: number;
  maxRetries: number;
  maxQueue: number;
  onLog: ((line: string) => void) | undefined;
}

function check(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`gateway option ${name} must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

export function resolveGatewayOptions(o: GatewayOptions): ResolvedGatewayOptions {
  const s = resolveServerOptions({ host: o.host, port: o.port, token: o.token, maxBufferBytes: o.maxBufferBytes, maxMessageBytes: o.maxMessageBytes, heartbeatMs: o.heartbeatMs, resumeGraceMs: o.resumeGraceMs });
  const channel = o.channel ?? DEFAULT_CHANNEL;
  if (!channel.includes(CHANNEL_PLACEHOLDER)) throw new UsageError(`--channel must contain ${CHANNEL_PLACEHOLDER} so each stream has its own channel (got ${JSON.stringify(channel)})`);
  const timeout = o.generatorTimeoutMs ?? 5000;
  if (!(timeout >= 100 && timeout <= 600_000)) throw new UsageError(`generator timeout must be 100..600000 ms (got ${timeout})`);
  const retries = o.maxRetries ?? 2;
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw new UsageError(`max retries must be an integer 0..100 (got ${retries})`);
  return {
    host: s.host,
    port: s.port,
    token: s.token,
    maxBufferBytes: s.maxBufferBytes,
    maxMessageBytes: s.maxMessageBytes,
    heartbeatMs: s.heartbeatMs,
    resumeGraceMs: s.resumeGraceMs,
    redisUrl: o.redisUrl,
    queue: o.queue ?? DEFAULT_QUEUE,
    channel,
    gatewayId: o.gatewayId ?? `gw-${process.pid}`,
    generatorTimeoutMs: timeout,
    maxRetries: retries,
    maxQueue: check('maxQueue', o.maxQueue ?? 10_000, 1, 10_000_000),
    onLog: o.onLog,
  };
}

/** Gateway-only counters (the shared server counters live in StatsCounters). */
export class GatewayCounters {
  enqueued = 0;
  enqueueFailures = 0;
  generatorRetries = 0;
  generatorFailures = 0;
  pauses = 0;
  duplicates = 0;
  replayed = 0;
  resumeMisses = 0;
  queueFull = 0;
  replayOverflow = 0;
  redisErrors = 0;
}
