// Multi-process reference server: a node:cluster primary forks `workers` processes that each run
// startReferenceServer on one shared host:port (the primary owns the listening socket and hands
// connections out round-robin, Linux' default). Port 0 is resolved to a free port by the primary
// first, so every worker, including restarted ones, listens on the same explicit port. The outside
// view stays one server: a worker answering /admin/stats, /admin/drop or /metrics asks the primary,
// which sums every worker's stats (plus the counters of workers that have exited) or splits the
// drop. A worker that dies unexpectedly is logged and restarted (backing off while it crash-loops).
// Limitation: resume state lives in the worker that served the stream. A reconnect that lands on
// another worker is answered `unknown_request` and the client counts the rest of that stream lost;
// there is no cross-worker resume state.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import { TargetError } from '../errors.js';
import type { CorpusKey } from '../frames/corpus.js';
import { splitCount, type DropAmount, type DropResult } from './admin-http.js';
import { WORKER_CONFIG_ENV, type WorkerConfig } from './cluster-ipc.js';
import { ClusterMember } from './cluster-member.js';
import { SECRETS_ENV, type ChildSecrets } from './ipc.js';
import { resolveServerOptions, type ClusterStats, type ServerOptions } from './options.js';
import { addStats, emptyStats } from './stats.js';

export interface ClusterServerOptions extends ServerOptions {
  /** Corpus entries every worker loads before it reports ready (the first worker encodes them). */
  prewarm?: CorpusKey[];
  /** How long one worker may take to start, prewarm included (default 300000). */
  readyTimeoutMs?: number;
}

export interface ClusterServer {
  /** ws://HOST:PORT/, shared by every worker. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Process ids of the live, ready workers. */
  pids(): number[];
  /** Cluster totals: the sum over live workers plus the counters of exited ones; `workers` lists each. */
  stats(): Promise<ClusterStats>;
  /** A fraction applies in every worker; a count is split in proportion to their connections. */
  drop(amount: DropAmount): Promise<DropResult>;
  /** graceful (default): every worker closes its streams with 1001; resolves once all have exited. */
  close(opts?: { graceful?: boolean }): Promise<void>;
}

const WORKER_ENTRY = new URL('../../dist/server/cluster-worker.js', import.meta.url);
const PORT_ATTEMPTS = 5;
const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 30_000;
const CRASH_LOOP_MS = 5000;

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(new TargetError(`cannot start the reference server: no free port on ${host}: ${err.message}`)));
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startClusterServer(opts: ClusterServerOptions): Promise<ClusterServer> {
  const o = resolveServerOptions(opts);
  const entry = fileURLToPath(WORKER_ENTRY);
  if (!existsSync(entry)) throw new TargetError(`cluster worker is not built (missing ${entry}): run \`npm run build\``);
  const { onLog, prewarm, readyTimeoutMs = 300_000, token, adminToken, workers: _workers, ...options } = opts;
  const log = onLog ?? ((): void => {});
  const secrets: ChildSecrets = { token, adminToken };
  const members = new Set<ClusterMember>();
  const restarts = new Set<NodeJS.Timeout>();
  const retired = emptyStats();
  let closing = false;
  let started = false;
  let restartDelayMs = RESTART_MIN_MS;
  let port = o.port;

  const readyMembers = (): ClusterMember[] => [...members].filter((m) => m.ready);
  const fork = (): ClusterMember => {
    const config: WorkerConfig = { options: { ...options, port }, prewarm };
    const env = childEnv({ [WORKER_CONFIG_ENV]: JSON.stringify(config), [SECRETS_ENV]: JSON.stringify(secrets) });
    const m = new ClusterMember(env, { clusterStats: () => stats(), clusterDrop: (amount) => drop(amount) }, log);
    members.add(m);
    void m.exited.then(() => onExit(m));
    return m;
  };

  function onExit(m: ClusterMember): void {
    members.delete(m);
    const left = m.final ?? m.last;
    if (left) addStats(retired, left, true);
    if (closing || !started) return;
    restartDelayMs = Date.now() - m.startedMs < CRASH_LOOP_MS ? Math.min(RESTART_MAX_MS, restartDelayMs * 2) : RESTART_MIN_MS;
    log(`worker ${m.pid} exited unexpectedly (${m.exitReason}); starting a new one in ${restartDelayMs} ms`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (closing) return;
      const next = fork();
      next.whenReady(readyTimeoutMs).then(
        () => log(`worker ${next.pid} ready (replaces ${m.pid})`),
        (err: Error) => log(`worker ${next.pid} failed to start: ${err.message}`),
      );
    }, restartDelayMs);
    restarts.add(timer);
  }

  async function stats(): Promise<ClusterStats> {
    await Promise.allSettled(readyMembers().map((m) => m.refresh()));
    const total = addStats(emptyStats(), retired);
    const workers: ClusterStats['workers'] = [];
    for (const m of readyMembers()) {
      if (!m.last) continue;
      addStats(total, m.last);
      workers.push({ pid: m.pid, ...m.last });
    }
    return { ...total, workers };
  }

  async function drop(amount: DropAmount): Promise<DropResult> {
    const live = readyMembers();
    let parts: DropAmount[] = live.map(() => ({ fraction: amount.fraction }));
    if (amount.count !== undefined) {
      await Promise.allSettled(live.map((m) => m.refresh()));
      parts = splitCount(
        amount.count,
        live.map((m) => m.last?.connections ?? 0),
      ).map((count) => ({ count }));
    }
    const seeded = (part: DropAmount, i: number): DropAmount => (amount.seed === undefined ? part : { ...part, seed: (amount.seed + i) >>> 0 });
    const results = await Promise.allSettled(live.map((m, i) => m.channel.call('drop', seeded(parts[i]!, i))));
    const total: DropResult = { dropped: 0, connections: 0 };
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      total.dropped += r.value.dropped;
      total.connections += r.value.connections;
    }
    if (live.length > 0 && results.every((r) => r.status === 'rejected')) throw new Error('no worker answered the drop');
    return total;
  }

  async function startAll(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      if (o.port === 0) port = await freePort(o.host);
      const first = fork();
      try {
        const { url } = await first.whenReady(readyTimeoutMs);
        const rest = Array.from({ length: o.workers - 1 }, () => fork());
        const ready = await Promise.all(rest.map((m) => m.whenReady(readyTimeoutMs)));
        const other = ready.find((r) => r.port !== port);
        if (other) throw new TargetError(`cluster workers did not share port ${port} (one listens on ${other.port})`);
        return url;
      } catch (err) {
        const busy = (err as { code?: unknown }).code === 'EADDRINUSE';
        if (!(o.port === 0 && busy && attempt < PORT_ATTEMPTS)) throw err;
        await Promise.all([...members].map((m) => m.stop(false)));
      }
    }
  }

  cluster.setupPrimary({ exec: entry, args: [], execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let url: string;
  try {
    url = await startAll();
  } catch (err) {
    closing = true;
    await Promise.all([...members].map((m) => m.stop(false)));
    throw err;
  }
  started = true;
  let closed: Promise<void> | undefined;
  const shutdown = async (graceful: boolean): Promise<void> => {
    closing = true;
    for (const timer of restarts) clearTimeout(timer);
    await Promise.all([...members].map((m) => m.stop(graceful)));
  };

  return {
    url,
    host: o.host,
    port,
    pids: () => readyMembers().map((m) => m.pid),
    stats,
    drop,
    close: ({ graceful = true } = {}) => (closed ??= shutdown(graceful)),
  };
}
