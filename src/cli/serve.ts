// `bench serve`: runs the reference server in the foreground until SIGINT/SIGTERM, in this process
// or (--workers N) as a node:cluster primary with N server processes on one port.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { startClusterServer } from '../server/cluster-primary.js';
import { startReferenceServer } from '../server/reference-server.js';
import { MAX_WORKERS, SERVER_DEFAULTS, type ServerOptions, type ServerStats } from '../server/options.js';
import { formatStatsLine } from '../server/stats.js';
import { parseResolution, RESOLUTION_HELP } from '../frames/resolution.js';
import { gatewayOptionsOf, runGatewayServe, type GatewayFlags } from './serve-gateway.js';
import { addIngestServeFlags, runIngestServe, type IngestServeFlags } from './serve-ingest.js';
import { untilStopped } from './common.js';
import { intFlag, msFlag } from './flags.js';

interface ServeFlags extends GatewayFlags {
  port: string;
  host: string;
  token?: string;
  delay: string;
  jitter: string;
  maxBuffer: string;
  maxMessage: string;
  heartbeat: string;
  resumeGrace: string;
  replayFrames: string;
  adminToken?: string;
  cacheDir?: string;
  tlsCert?: string;
  tlsKey?: string;
  workers?: string;
  maxPixels: string;
  resolutions?: string;
  qualities?: string;
  maxCorpusEntries: string;
  maxCorpusBytes: string;
  maxDiskCacheBytes: string;
  maxDiskCacheEntries: string;
  encodeConcurrency: string;
  maxQueuedEncodes: string;
  maxMessagesPerSec: string;
  slowClient: string;
  idleTimeout: string;
}

/** What runServe needs of a single-process or a cluster server. */
interface Served {
  url: string;
  /** Printed after the URL (the cluster's workers). */
  note?: string;
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

function workersFlag(text: string): number {
  if (text.trim() === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  return intFlag('--workers', text, 1, MAX_WORKERS);
}

function tlsFiles(f: ServeFlags): Pick<ServerOptions, 'tlsCertFile' | 'tlsKeyFile'> {
  if (!f.tlsCert && !f.tlsKey) return {};
  if (!f.tlsCert || !f.tlsKey) throw new UsageError('--tls-cert and --tls-key go together: give both PEM files to serve wss://');
  for (const [flag, file] of [
    ['--tls-cert', f.tlsCert],
    ['--tls-key', f.tlsKey],
  ] as const) {
    if (!existsSync(file)) throw new UsageError(`${flag} ${file}: no such file`);
  }
  return { tlsCertFile: f.tlsCert, tlsKeyFile: f.tlsKey };
}

function listFlag(flag: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (items.length === 0) throw new UsageError(`${flag} must list at least one value, comma-separated`);
  return items;
}

function resolutionsFlag(text: string | undefined): string[] | undefined {
  const list = listFlag('--resolutions', text);
  for (const r of list ?? []) {
    if (!parseResolution(r)) throw new UsageError(`--resolutions: ${JSON.stringify(r)} is not ${RESOLUTION_HELP}`);
  }
  return list;
}

function limitFlags(f: ServeFlags): ServerOptions {
  const d = SERVER_DEFAULTS;
  const int = (flag: string, text: string | undefined, fallback: number, min: number, max: number): number => (text === undefined ? fallback : intFlag(flag, text, min, max));
  return {
    maxPixels: int('--max-pixels', f.maxPixels, d.maxPixels, 256, 7680 * 4320),
    resolutions: resolutionsFlag(f.resolutions),
    qualities: listFlag('--qualities', f.qualities)?.map((q) => intFlag('--qualities', q, 1, 100)),
    maxCorpusEntries: int('--max-corpus-entries', f.maxCorpusEntries, d.maxCorpusEntries, 1, 10_000),
    maxCorpusBytes: int('--max-corpus-bytes', f.maxCorpusBytes, d.maxCorpusBytes, 1024 * 1024, 2 ** 40),
    maxDiskCacheBytes: int('--max-disk-cache-bytes', f.maxDiskCacheBytes, d.maxDiskCacheBytes, 1024 * 1024, 2 ** 44),
    maxDiskCacheEntries: int('--max-disk-cache-entries', f.maxDiskCacheEntries, d.maxDiskCacheEntries, 1, 1_000_000),
    encodeConcurrency: int('--encode-concurrency', f.encodeConcurrency, d.encodeConcurrency, 1, 64),
    maxQueuedEncodes: int('--max-queued-encodes', f.maxQueuedEncodes, d.maxQueuedEncodes, 0, 10_000),
    maxMessagesPerSec: int('--max-messages-per-sec', f.maxMessagesPerSec, d.maxMessagesPerSec, 1, 1_000_000),
    slowClientMs: int('--slow-client', f.slowClient, d.slowClientMs, 10, 3_600_000),
    idleTimeoutMs: int('--idle-timeout', f.idleTimeout, d.idleTimeoutMs, 0, 86_400_000),
  };
}

export function parseServeFlags(f: ServeFlags): ServerOptions {
  if (f.host.trim() === '') throw new UsageError('--host must be a host name or IP address');
  if (f.token !== undefined && f.token === '') throw new UsageError('--token must not be empty');
  if (f.adminToken !== undefined && f.adminToken === '') throw new UsageError('--admin-token must not be empty');
  return {
    port: intFlag('--port', f.port, 0, 65535),
    host: f.host,
    token: f.token,
    delayMs: msFlag('--delay', f.delay),
    jitterMs: msFlag('--jitter', f.jitter),
    maxBufferBytes: intFlag('--max-buffer', f.maxBuffer, 0, 2 ** 40),
    maxMessageBytes: intFlag('--max-message', f.maxMessage, 64, 2 ** 31),
    heartbeatMs: intFlag('--heartbeat', f.heartbeat, 10, 86_400_000),
    resumeGraceMs: intFlag('--resume-grace', f.resumeGrace, 0, 86_400_000),
    replayFrames: intFlag('--replay-frames', f.replayFrames, 0, 1_000_000),
    adminToken: f.adminToken,
    cacheDir: f.cacheDir,
    workers: workersFlag(f.workers ?? '1'),
    ...limitFlags(f),
    ...tlsFiles(f),
  };
}

export interface ServeIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Stops the server when aborted (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  statsEveryMs?: number;
}

async function start(opts: ServerOptions, onLog: (line: string) => void): Promise<Served> {
  if ((opts.workers ?? 1) <= 1) {
    const server = await startReferenceServer({ ...opts, onLog });
    return { url: server.url, stats: async () => server.stats(), close: () => server.close({ graceful: true }) };
  }
  const cluster = await startClusterServer({ ...opts, onLog });
  const pids = cluster.pids().join(', ');
  const note = `${opts.workers} worker processes share port ${cluster.port} (pids ${pids}); resume works only when a reconnect lands on the same worker`;
  return { url: cluster.url, note, stats: () => cluster.stats(), close: () => cluster.close({ graceful: true }) };
}

/** Runs the server until a signal or `io.signal` aborts; resolves after a graceful shutdown. */
export async function runServe(opts: ServerOptions, io: ServeIo = {}): Promise<ServerStats> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = await start(opts, (line) => err(`bench serve: ${line}`));
  const auth = opts.token ? ' (token required: Authorization: Bearer <token> or ?token=)' : '';
  out(`bench serve: listening on ${server.url}${auth}`);
  if (server.note) out(`bench serve: ${server.note}`);
  const http = server.url.replace(/^ws/, 'http');
  const metricsAuth = opts.token ? ' (same token)' : '';
  out(`bench serve: health at ${http}healthz · metrics at ${http}metrics${metricsAuth} · Ctrl-C to stop`);
  if (opts.adminToken) out(`bench serve: admin channel at ${http}admin/drop and ${http}admin/stats (Authorization: Bearer <admin token>)`);

  let prev: ServerStats | undefined = await server.stats().catch(() => undefined);
  let prevAt = Date.now();
  let asking = false;
  const ticker = setInterval(() => {
    if (asking) return;
    asking = true;
    server.stats().then(
      (now) => {
        asking = false;
        const at = Date.now();
        out(`bench serve: ${formatStatsLine(now, prev, (at - prevAt) / 1000)}`);
        prev = now;
        prevAt = at;
      },
      (e: unknown) => {
        asking = false;
        err(`bench serve: stats unavailable: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }, io.statsEveryMs ?? 10_000);

  await untilStopped(io.signal);
  clearInterval(ticker);
  out('bench serve: shutting down');
  await server.close();
  const final = await server.stats();
  out(`bench serve: stopped · ${formatStatsLine(final, undefined, 0)}`);
  return final;
}

export function serveCommand(): Command {
  const d = SERVER_DEFAULTS;
  const cmd = new Command('serve')
    .description('run the embedded reference server in the foreground (stops gracefully on Ctrl-C / SIGTERM); --ingest / --model-api run the upload side')
    .option('--port <n>', 'TCP port to listen on (0 picks a free one)', '8080')
    .option('--host <host>', 'interface to listen on', d.host)
    .option('--token <token>', 'require this bearer token at the upgrade (header or ?token=)')
    .option('--delay <ms>', 'extra delay before each frame is sent', '0')
    .option('--jitter <ms>', 'extra uniform random delay in [0, ms] per frame', '0')
    .option('--max-buffer <bytes>', 'per-connection send-buffer cap; frames over it are dropped', String(d.maxBufferBytes))
    .option('--max-message <bytes>', 'inbound message limit (bigger closes with 1009)', String(d.maxMessageBytes))
    .option('--heartbeat <ms>', 'ping interval; peers that miss a pong are dropped', String(d.heartbeatMs))
    .option('--resume-grace <ms>', 'how long a lost session stream stays resumable (0 disables resume)', String(d.resumeGraceMs))
    .option('--replay-frames <n>', 'frames a resume can re-send: the last N generated', String(d.replayFrames))
    .option('--admin-token <token>', 'enable POST /admin/drop and GET /admin/stats for this bearer token')
    .option('--cache-dir <dir>', 'frame corpus cache folder')
    .option('--max-pixels <n>', 'largest width × height a request may ask for (bigger: limit_exceeded)', String(d.maxPixels))
    .option('--resolutions <list>', 'serve only these resolutions, e.g. 480p,720p,640x360 (others: limit_exceeded)')
    .option('--qualities <list>', 'serve only these webp/jpeg qualities, e.g. 50,75,90 (others: limit_exceeded)')
    .option('--max-corpus-entries <n>', 'corpus entries kept in memory (least recently used evicted)', String(d.maxCorpusEntries))
    .option('--max-corpus-bytes <bytes>', 'encoded frame bytes kept in memory', String(d.maxCorpusBytes))
    .option('--max-disk-cache-bytes <bytes>', 'size of the corpus cache folder (least recently used files deleted)', String(d.maxDiskCacheBytes))
    .option('--max-disk-cache-entries <n>', 'files in the corpus cache folder', String(d.maxDiskCacheEntries))
    .option('--encode-concurrency <n>', 'corpus entries encoded at once, each in a worker thread', String(d.encodeConcurrency))
    .option('--max-queued-encodes <n>', 'encodes that may wait for a slot; more: server_busy', String(d.maxQueuedEncodes))
    .option('--max-messages-per-sec <n>', 'messages a connection may send per second; more: rate_limited, then close 1008', String(d.maxMessagesPerSec))
    .option('--slow-client <ms>', 'close (1008) a connection whose send buffer stays over --max-buffer with nothing sent this long', String(d.slowClientMs))
    .option('--idle-timeout <ms>', 'close (1008) a connection that sends no request this long after connecting (0: never)', String(d.idleTimeoutMs))
    .option('--tls-cert <file>', 'PEM certificate: serve wss:// (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option(
      '--workers <n|auto>',
      `server processes sharing the port (1-${MAX_WORKERS}; auto = one per core); /metrics and /admin/* report cluster totals. ` +
        'Resume state stays in one worker: a reconnect that lands on another is answered unknown_request and the rest of that stream counts as lost',
      '1',
    )
    .option('--gateway', 'gateway mode: enqueue requests on Redis for `bench generate` workers and forward their frames')
    .option('--redis <url>', 'gateway mode: Redis URL (redis://127.0.0.1:6379)')
    .option('--queue <name>', 'gateway mode: Redis list jobs are pushed on', 'framebench:generate')
    .option('--channel <template>', 'gateway mode: frame channel per stream; {requestId} becomes the stream id', 'frames:{requestId}')
    .option('--gateway-id <id>', 'gateway mode: name in logs, metrics and stream ids (default gw-PID)')
    .option('--generator-timeout <ms>', 'gateway mode: a stream silent this long lost its generator and is retried', '5000')
    .option('--max-retries <n>', 'gateway mode: retries after lost generators before the request fails', '2')
    .option('--max-queue <n>', 'gateway mode: jobs the work queue may hold; requests beyond it get queue_full', '10000');
  return addIngestServeFlags(cmd)
    .addHelpText(
      'after',
      '\nUpload direction:\n  bench serve --ingest --port 9000                  ingestion server + embedded mock model API\n  bench serve --model-api --port 9100 --rpm 600     mock model API alone\n  bench serve --ingest --model-url http://127.0.0.1:9100/v1/chat/completions --interval 5000',
    )
    .action(async (flags: ServeFlags & Partial<IngestServeFlags>) => {
      if (flags.ingest || flags.modelApi) return runIngestServe(flags as IngestServeFlags);
      const opts = parseServeFlags(flags);
      if (flags.gateway) {
        const { host = '127.0.0.1', port = 8080, token, maxBufferBytes = d.maxBufferBytes, maxMessageBytes = d.maxMessageBytes, heartbeatMs = d.heartbeatMs, resumeGraceMs = d.resumeGraceMs } = opts;
        await runGatewayServe(gatewayOptionsOf(flags, { host, port, token, maxBufferBytes, maxMessageBytes, heartbeatMs, resumeGraceMs }));
        return;
      }
      await runServe(opts);
    });
}
