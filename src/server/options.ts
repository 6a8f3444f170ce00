// Reference server options: the public option and stats types, defaults, and validation.
import { UsageError } from '../errors.js';
import { parseResolution, RESOLUTION_HELP } from '../frames/resolution.js';

export interface ServerOptions {
  /** PEM certificate and key files: serve wss:// and https:// (TLS) instead of ws://. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** TCP port; 0 picks a free one (default 0). */
  port?: number;
  /**
   * When set, upgrades need `Authorization: Bearer <token>` or `?token=<token>`, and so does GET /metrics
   * (which also accepts the admin token); without it /metrics is open like /healthz.
   */
  token?: string;
  /** Extra delay added to every frame's send time, ms (default 0). */
  delayMs?: number;
  /** Uniform random extra delay in [0, jitterMs], ms (default 0). */
  jitterMs?: number;
  /** Per-connection send-buffer cap; frames over it are dropped and counted (default 8 MiB). */
  maxBufferBytes?: number;
  /** Inbound message limit; bigger messages close the connection with 1009 (default 1 MiB). */
  maxMessageBytes?: number;
  /** Ping interval; a peer that did not pong since the previous ping is terminated (default 30000). */
  heartbeatMs?: number;
  /** Frame corpus cache folder (default: the corpus' own default). */
  cacheDir?: string;
  /** Seed of the jitter PRNG (default 1). */
  seed?: number;
  /** Distinct frames per corpus entry; frame seq uses seq % corpusFrames (default 60). */
  corpusFrames?: number;
  /**
   * How long a stream of a session (`generate` with `session`) stays resumable after its connection
   * is lost, ms; it keeps generating on schedule meanwhile (default 30000; 0 disables resume).
   */
  resumeGraceMs?: number;
  /** Sequence numbers kept for replay after a resume: the last N generated (default 300). */
  replayFrames?: number;
  /** Cap on detached (resumable) streams; the oldest is expired first (default 100000). */
  maxDetachedStreams?: number;
  /**
   * Enables POST /admin/drop and GET /admin/stats for `Authorization: Bearer <adminToken>`
   * (404 when unset). Also accepted on /metrics.
   */
  adminToken?: string;
  /**
   * Server processes sharing the port (default 1: this process serves). Above 1, `bench serve` and the
   * embedded launcher run a node:cluster primary (see cluster-primary.ts); startReferenceServer itself
   * always serves in the calling process.
   */
  workers?: number;
  /** Largest width × height a request may ask for (default 1920×1080 = 2073600). */
  maxPixels?: number;
  /** When set, only these resolutions ("480p" or "WxH") are served; others get limit_exceeded. */
  resolutions?: string[];
  /** When set, only these qualities are served; others get limit_exceeded. */
  qualities?: number[];
  /** Corpus entries kept in memory, least recently used evicted first (default 32). */
  maxCorpusEntries?: number;
  /** Bytes of encoded frames kept in memory across entries (default 1 GiB). */
  maxCorpusBytes?: number;
  /** Bounds of the on-disk corpus cache folder, least recently used files deleted first (defaults 4 GiB, 256 files). */
  maxDiskCacheBytes?: number;
  maxDiskCacheEntries?: number;
  /** Corpus entries encoded at the same time, each in a worker thread (default 1). */
  encodeConcurrency?: number;
  /** Encodes waiting for a slot; a request beyond them gets server_busy (default 8). */
  maxQueuedEncodes?: number;
  /** Messages a client may send per second (burst: one second's worth); beyond: rate_limited, then close 1008 (default 500). */
  maxMessagesPerSec?: number;
  /** A connection whose send buffer stays over maxBufferBytes this long is closed with 1008 (default 10000 ms). */
  slowClientMs?: number;
  /** A connection that sends no generate/resume this long after the upgrade is closed with 1008 (default 30000 ms; 0 disables). */
  idleTimeoutMs?: number;
  /** Progress lines (corpus encoding, shutdown); silent when absent. */
  onLog?: (line: string) => void;
}

export interface ServerStats {
  /** Open WebSocket connections. */
  connections: number;
  connectionsTotal: number;
  /** Generate requests accepted since start. */
  requests: number;
  /** Requests streaming right now. */
  activeRequests: number;
  framesSent: number;
  /** Frames dropped because a connection's send buffer was over maxBufferBytes. */
  framesDropped: number;
  /** WebSocket payload bytes of the frames sent (header + image, or the JSON text). */
  bytesSent: number;
  /** Error messages sent to clients plus socket errors. */
  errors: number;
  /** Streams kept resumable after their connection was lost. */
  detachedStreams: number;
  /** Successful resumes. */
  resumes: number;
  /** Frames generated while their stream was detached (counted at resume or expiry). */
  framesDetached: number;
  /** Connections destroyed through POST /admin/drop. */
  adminDrops: number;
  /** Requests refused by a limit (resolution, quality, pixel budget, busy encoder, full corpus cache). */
  requestsRejected: number;
  /** Corpus entries encoded, and those cancelled because no request waited for them any more. */
  encodes: number;
  encodesCancelled: number;
  /** Corpus entries in memory now, their bytes, and entries evicted (least recently used). */
  corpusEntries: number;
  corpusBytes: number;
  corpusEvictions: number;
  /** Control replies not sent because the connection's send buffer was over its cap. */
  repliesDropped: number;
  /** Connections closed (1008) because their send buffer stayed over the cap for slowClientMs. */
  slowClientCloses: number;
  /** Connections closed (1008) for sending more than maxMessagesPerSec. */
  rateLimitCloses: number;
  /** Connections closed (1008) for sending no request within idleTimeoutMs. */
  idleCloses: number;
}

/** Stats of a multi-process server: the cluster totals plus each live worker's own. */
export interface ClusterStats extends ServerStats {
  workers: Array<ServerStats & { pid: number }>;
}

type OptionalKeys = 'token' | 'adminToken' | 'cacheDir' | 'onLog' | 'tlsCertFile' | 'tlsKeyFile' | 'resolutions' | 'qualities';
export type ResolvedServerOptions = Required<Omit<ServerOptions, OptionalKeys>> & Pick<ServerOptions, OptionalKeys>;

export const SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  delayMs: 0,
  jitterMs: 0,
  maxBufferBytes: 8 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  seed: 1,
  corpusFrames: 60,
  resumeGraceMs: 30_000,
  replayFrames: 300,
  maxDetachedStreams: 100_000,
  workers: 1,
  maxPixels: 1920 * 1080,
  maxCorpusEntries: 32,
  maxCorpusBytes: 1024 * 1024 * 1024,
  maxDiskCacheBytes: 4 * 1024 * 1024 * 1024,
  maxDiskCacheEntries: 256,
  encodeConcurrency: 1,
  maxQueuedEncodes: 8,
  maxMessagesPerSec: 500,
  slowClientMs: 10_000,
  idleTimeoutMs: 30_000,
} as const;

export const MAX_WORKERS = 64;

function check(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UsageError(`server option ${name} must be ${kind} between ${min} and ${max} (got ${String(value)})`);
  }
  return value;
}

function checkResolutions(list: string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  if (list.length === 0) throw new UsageError('server option resolutions must list at least one resolution');
  for (const r of list) {
    if (typeof r !== 'string' || !parseResolution(r)) throw new UsageError(`server option resolutions: ${JSON.stringify(r)} is not ${RESOLUTION_HELP}`);
  }
  return list;
}

export function resolveServerOptions(opts: ServerOptions = {}): ResolvedServerOptions {
  const d = SERVER_DEFAULTS;
  const host = opts.host ?? d.host;
  if (typeof host !== 'string' || host === '') throw new UsageError('server option host must be a non-empty string');
  for (const name of ['token', 'adminToken'] as const) {
    const v = opts[name];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new UsageError(`server option ${name} must be a non-empty string`);
  }
  return {
    host,
    port: check('port', opts.port ?? d.port, 0, 65535, true),
    token: opts.token,
    adminToken: opts.adminToken,
    delayMs: check('delayMs', opts.delayMs ?? d.delayMs, 0, 3_600_000, false),
    jitterMs: check('jitterMs', opts.jitterMs ?? d.jitterMs, 0, 3_600_000, false),
    maxBufferBytes: check('maxBufferBytes', opts.maxBufferBytes ?? d.maxBufferBytes, 0, 2 ** 40, true),
    maxMessageBytes: check('maxMessageBytes', opts.maxMessageBytes ?? d.maxMessageBytes, 64, 2 ** 31, true),
    heartbeatMs: check('heartbeatMs', opts.heartbeatMs ?? d.heartbeatMs, 10, 86_400_000, true),
    cacheDir: opts.cacheDir,
    tlsCertFile: opts.tlsCertFile,
    tlsKeyFile: opts.tlsKeyFile,
    seed: check('seed', opts.seed ?? d.seed, 0, 2 ** 32 - 1, true),
    corpusFrames: check('corpusFrames', opts.corpusFrames ?? d.corpusFrames, 1, 1000, true),
    resumeGraceMs: check('resumeGraceMs', opts.resumeGraceMs ?? d.resumeGraceMs, 0, 86_400_000, true),
    replayFrames: check('replayFrames', opts.replayFrames ?? d.replayFrames, 0, 1_000_000, true),
    maxDetachedStreams: check('maxDetachedStreams', opts.maxDetachedStreams ?? d.maxDetachedStreams, 0, 10_000_000, true),
    workers: check('workers', opts.workers ?? d.workers, 1, MAX_WORKERS, true),
    maxPixels: check('maxPixels', opts.maxPixels ?? d.maxPixels, 256, 7680 * 4320, true),
    resolutions: checkResolutions(opts.resolutions),
    qualities: opts.qualities?.map((q) => check('qualities', q, 1, 100, true)),
    maxCorpusEntries: check('maxCorpusEntries', opts.maxCorpusEntries ?? d.maxCorpusEntries, 1, 10_000, true),
    maxCorpusBytes: check('maxCorpusBytes', opts.maxCorpusBytes ?? d.maxCorpusBytes, 1024 * 1024, 2 ** 40, true),
    maxDiskCacheBytes: check('maxDiskCacheBytes', opts.maxDiskCacheBytes ?? d.maxDiskCacheBytes, 1024 * 1024, 2 ** 44, true),
    maxDiskCacheEntries: check('maxDiskCacheEntries', opts.maxDiskCacheEntries ?? d.maxDiskCacheEntries, 1, 1_000_000, true),
    encodeConcurrency: check('encodeConcurrency', opts.encodeConcurrency ?? d.encodeConcurrency, 1, 64, true),
    maxQueuedEncodes: check('maxQueuedEncodes', opts.maxQueuedEncodes ?? d.maxQueuedEncodes, 0, 10_000, true),
    maxMessagesPerSec: check('maxMessagesPerSec', opts.maxMessagesPerSec ?? d.maxMessagesPerSec, 1, 1_000_000, true),
    slowClientMs: check('slowClientMs', opts.slowClientMs ?? d.slowClientMs, 10, 3_600_000, true),
    idleTimeoutMs: check('idleTimeoutMs', opts.idleTimeoutMs ?? d.idleTimeoutMs, 0, 86_400_000, true),
    onLog: opts.onLog,
  };
}
