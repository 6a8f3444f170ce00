// Options of a synthetic frame generator (`bench generate`), defaults, and the stats it exposes.
import type { Envelope } from '../protocol/queue.js';
import { DEFAULT_CHANNEL, DEFAULT_QUEUE } from '../protocol/queue.js';
import { PACE_DEFAULTS, type PaceModel } from './pace.js';

export interface GeneratorOptions {
  redisUrl: string;
  /** Redis list the gateways push jobs on (default framebench:generate). */
  queue?: string;
  /** Channel template for jobs that name none; {requestId} becomes the job's stream id (default frames:{requestId}). */
  channel?: string;
  /** Frame envelope on the channel: raw binary reference frames, or JSON with base64 data. */
  envelope?: Envelope;
  /** Generations one worker runs at the same time (default 4). */
  concurrency?: number;
  pace?: Partial<PaceModel>;
  /** Frames kept per stream in Redis for resumes on another gateway (default 150; 0: none). */
  replayFrames?: number;
  /** Lifetime of a stream's replay window and state after its last frame, ms (default 30000). */
  replayTtlMs?: number;
  /** A stream nobody has listened to for this long is stopped, ms (default 30000). */
  orphanMs?: number;
  /** Name in logs, metrics and the processing list (default gen-PID). */
  workerId?: string;
  seed?: number;
  cacheDir?: string;
  corpusFrames?: number;
  /** HTTP port of /healthz, /metrics and /admin/slow (default 0: a free port). */
  httpPort?: number;
  httpHost?: string;
  /** Enables POST /admin/slow with `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  onLog?: (line: string) => void;
}

export interface GeneratorStats {
  capacity: number;
  active: number;
  jobs: number;
  completed: number;
  cancelled: number;
  orphaned: number;
  failed: number;
  framesPublished: number;
  bytesPublished: number;
  publishFailures: number;
  backpressurePauses: number;
  pausedMs: number;
  /** Sum over finished and running generations of their busy time, ms (utilisation = d(busy)/dt / capacity). */
  busyMs: number;
  queueDepth: number;
  slowFactor: number;
}

export type ResolvedGeneratorOptions = Required<Omit<GeneratorOptions, 'pace' | 'adminToken' | 'cacheDir' | 'onLog'>> & Pick<GeneratorOptions, 'adminToken' | 'cacheDir' | 'onLog'> & { pace: PaceModel };

export function resolveGeneratorOptions(o: GeneratorOptions): ResolvedGeneratorOptions {
  return {
    redisUrl: o.redisUrl,
    queue: o.queue ?? DEFAULT_QUEUE,
    channel: o.channel ?? DEFAULT_CHANNEL,
    envelope: o.envelope ?? 'raw',
    concurrency: o.concurrency ?? 4,
    pace: { ...PACE_DEFAULTS, ...o.pace },
    replayFrames: o.replayFrames ?? 150,
    replayTtlMs: o.replayTtlMs ?? 30_000,
    orphanMs: o.orphanMs ?? 30_000,
    workerId: o.workerId ?? `gen-${process.pid}`,
    seed: o.seed ?? process.pid,
    cacheDir: o.cacheDir,
    corpusFrames: o.corpusFrames ?? 60,
    httpPort: o.httpPort ?? 0,
    httpHost: o.httpHost ?? '127.0.0.1',
    adminToken: o.adminToken,
    onLog: o.onLog,
  };
}
