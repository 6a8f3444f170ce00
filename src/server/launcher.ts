// Runs the reference server in a child process (its own event loop, apart from the clients'):
// forks dist/server/child.js with IPC, waits for ready, proxies stats, stops it by signal.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TargetError } from '../errors.js';
import type { CorpusKey } from '../frames/corpus.js';
import type { ChildConfig, ChildMessage, ParentMessage } from './ipc.js';
import type { ServerOptions, ServerStats } from './options.js';

export interface EmbeddedServer {
  url: string;
  port: number;
  pid: number;
  stats(): Promise<ServerStats>;
  /** SIGTERM (default) shuts down gracefully, escalating to SIGKILL after a timeout; resolves once exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface EmbeddedServerOptions extends ServerOptions {
  /** Corpus entries to load before reporting ready. */
  prewarm?: CorpusKey[];
  /** How long starting (including prewarm encoding) may take (default 300000). */
  readyTimeoutMs?: number;
}

const CHILD_ENTRY = new URL('../../dist/server/child.js', import.meta.url);
const STDERR_TAIL_BYTES = 4096;
const STATS_TIMEOUT_MS = 5000;
const STOP_ESCALATE_MS = 10_000;

function waitReady(child: ChildProcess, tail: () => string, timeoutMs: number): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (err: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(err);
    };
    const onMessage = (msg: ChildMessage): void => {
      if (msg.type === 'ready') {
        cleanup();
        resolve({ url: msg.url, port: msg.port });
      } else if (msg.type === 'error') fail(new TargetError(msg.message));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const t = tail().trim();
      fail(new TargetError(`embedded server exited with ${how} before it was ready${t ? `:\n${t}` : ''}`));
    };
    const onError = (err: Error): void => fail(new TargetError(`cannot start the embedded server: ${err.message}`));
    const timer = setTimeout(() => fail(new TargetError(`embedded server was not ready within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

export async function spawnEmbeddedServer(opts: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const entry = fileURLToPath(CHILD_ENTRY);
  if (!existsSync(entry)) throw new TargetError(`embedded server is not built (missing ${entry}): run \`npm run build\``);
  const { prewarm, onLog, readyTimeoutMs = 300_000, ...options } = opts;
  const config: ChildConfig = { options, prewarm };
  const child = fork(entry, [JSON.stringify(config)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });

  let tail = '';
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
    if (!onLog) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLog(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let ready: { url: string; port: number };
  try {
    ready = await waitReady(child, () => tail, readyTimeoutMs);
  } catch (err) {
    process.off('exit', killOnExit);
    throw err;
  }
  // A forgotten server must not keep the harness alive; pending stats/stop calls hold their own timers.
  child.on('error', () => {});
  child.unref();
  child.channel?.unref();
  (child.stderr as Socket | null)?.unref?.();

  let nextId = 1;
  const pending = new Map<number, (s: ServerStats) => void>();
  child.on('message', (msg: ChildMessage) => {
    if (msg.type === 'stats') pending.get(msg.id)?.(msg.stats);
  });

  return {
    url: ready.url,
    port: ready.port,
    pid: child.pid!,
    stats: () =>
      new Promise<ServerStats>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null || !child.connected) {
          reject(new TargetError('embedded server is not running'));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new TargetError(`embedded server did not answer a stats request within ${STATS_TIMEOUT_MS} ms`));
        }, STATS_TIMEOUT_MS);
        pending.set(id, (s) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(s);
        });
        child.send({ type: 'stats', id } satisfies ParentMessage);
      }),
    stop: async (signal = 'SIGTERM') => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_ESCALATE_MS);
        await exited;
        clearTimeout(escalate);
      }
    },
  };
}
