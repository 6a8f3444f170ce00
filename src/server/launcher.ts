// Runs the reference server in a child process (its own event loop, apart from the clients'):
// forks dist/server/child.js, waits for ready, proxies stats, stops it by signal, and restarts it on
// the same port for chaos. It always has an admin token (random unless given) for /admin/*. With
// `workers` above 1 the child is a node:cluster primary (cluster-primary.ts): stats are the cluster
// totals and a restart replaces the whole cluster. The default stays 1: on small machines the
// harness' clients need the other core.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { killOnExit } from '../child-exit.js';
import { TargetError } from '../errors.js';
import type { CorpusKey } from '../frames/corpus.js';
import { ChildHandle, ChildStartError } from './child-process.js';
import type { ChildConfig, ChildSecrets } from './ipc.js';
import type { ServerOptions, ServerStats } from './options.js';

export interface EmbeddedServer {
  /** ws://HOST:PORT/; the same after a restart. */
  readonly url: string;
  readonly port: number;
  /** Process id of the current child (changes with each restart); the cluster primary with workers > 1. */
  readonly pid: number;
  /** Bearer token of the admin channel (POST /admin/drop, GET /admin/stats; see admin-client.ts). */
  readonly adminToken: string;
  /**
   * Stats of the current child (with workers > 1 a ClusterStats: totals plus `workers`); a restarted
   * child counts from zero. Rejects while the server is down.
   */
  stats(): Promise<ServerStats>;
  /** SIGTERM (default) shuts down gracefully, escalating to SIGKILL after a timeout; resolves once exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /**
   * Kills the child ('kill': SIGKILL, like a crash; 'term': SIGTERM, streams closed with 1001), waits
   * until it exited, stays down for downtimeMs, then starts a new child with the same options on the
   * same port and resolves once it is ready. The new child's stats start from zero and it knows no
   * detached streams (resume state dies with the process). Rejects with a TargetError when the port
   * cannot be bound again within a few seconds, when a restart is already running, or when stop()
   * is called meanwhile (the new child is then stopped too).
   */
  restart(mode: 'kill' | 'term', downtimeMs: number): Promise<void>;
}

export interface EmbeddedServerOptions extends ServerOptions {
  /** Corpus entries to load before reporting ready. */
  prewarm?: CorpusKey[];
  /** How long starting (including prewarm encoding) may take (default 300000). */
  readyTimeoutMs?: number;
  /** How long restart() keeps trying to bind the old port again (default 5000). */
  rebindTimeoutMs?: number;
}

const CHILD_ENTRY = new URL('../../dist/server/child.js', import.meta.url);
const REBIND_RETRY_MS = 100;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function spawnEmbeddedServer(opts: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const entry = fileURLToPath(CHILD_ENTRY);
  if (!existsSync(entry)) throw new TargetError(`embedded server is not built (missing ${entry}): run \`npm run build\``);
  const { prewarm, onLog, readyTimeoutMs = 300_000, rebindTimeoutMs = 5000, token, adminToken = randomBytes(24).toString('base64url'), ...options } = opts;
  const secrets: ChildSecrets = { token, adminToken };
  const start = (port?: number): ChildHandle => {
    const config: ChildConfig = { options: port === undefined ? options : { ...options, port }, prewarm };
    return new ChildHandle(entry, config, secrets, onLog);
  };

  let current: ChildHandle | undefined = start();
  let lastPid = current.child.pid ?? 0;
  const forgetOnExit = killOnExit((): void => {
    current?.child.kill('SIGKILL');
  });
  let ready: { url: string; port: number };
  try {
    ready = await current.ready(readyTimeoutMs);
  } catch (err) {
    forgetOnExit();
    throw err;
  }

  let stopped = false;
  const stopping = new AbortController();
  let restarting: Promise<void> | undefined;
  const stoppedError = (): TargetError => new TargetError('embedded server was stopped during a restart');

  async function startOnSamePort(): Promise<void> {
    const deadline = Date.now() + rebindTimeoutMs;
    for (;;) {
      if (stopped) throw stoppedError();
      const child = start(ready.port);
      current = child;
      lastPid = child.child.pid ?? lastPid;
      try {
        await child.ready(readyTimeoutMs);
        if (stopped) throw stoppedError();
        return;
      } catch (err) {
        current = undefined;
        if (stopped) throw stoppedError();
        if (!(err instanceof ChildStartError && err.code === 'EADDRINUSE')) throw err;
        if (Date.now() >= deadline) {
          throw new TargetError(`cannot restart the embedded server: port ${ready.port} was still in use after ${rebindTimeoutMs} ms`);
        }
        await sleep(REBIND_RETRY_MS, stopping.signal);
      }
    }
  }

  async function restartOnce(mode: 'kill' | 'term', downtimeMs: number): Promise<void> {
    const old = current;
    if (old) await old.stop(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    if (current === old) current = undefined;
    await sleep(Math.max(0, downtimeMs), stopping.signal);
    await startOnSamePort();
  }

  return {
    url: ready.url,
    port: ready.port,
    adminToken,
    get pid() {
      return lastPid;
    },
    stats: () => (current ? current.stats() : Promise.reject(new TargetError('embedded server is not running'))),
    restart: async (mode, downtimeMs) => {
      if (stopped) throw new TargetError('embedded server was stopped');
      if (restarting) throw new TargetError('a restart of the embedded server is already in progress');
      restarting = restartOnce(mode, downtimeMs);
      try {
        await restarting;
      } finally {
        restarting = undefined;
      }
    },
    stop: async (signal = 'SIGTERM') => {
      stopped = true;
      stopping.abort();
      forgetOnExit();
      await current?.stop(signal);
      await restarting?.catch(() => undefined);
      await current?.stop('SIGKILL');
    },
  };
}
