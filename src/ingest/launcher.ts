// Runs the mock model API or the reference ingestion server in a child process of its own (its own
// event loop, apart from the cameras'): forks dist/ingest/child.js, waits for ready, stops it by
// signal, and restarts it on the same port for chaos (a restarted server starts from empty buffers).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import { killOnExit } from '../child-exit.js';
import { TargetError } from '../errors.js';
import { INGEST_SECRET_ENV, type IngestChildConfig, type IngestChildMessage } from './child-ipc.js';

const CHILD_ENTRY = new URL('../../dist/ingest/child.js', import.meta.url);
const READY_TIMEOUT_MS = 30_000;
const STOP_ESCALATE_MS = 5000;
const REBIND_TIMEOUT_MS = 5000;

export interface IngestProcess {
  /** http:// (model API) or ws:// (ingestion server) address; the same after a restart. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  restart(mode: 'kill' | 'term', downtimeMs: number): Promise<void>;
  stop(): Promise<void>;
}

class StartError extends TargetError {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function spawn(config: IngestChildConfig, apiKey: string | undefined, onLog?: (line: string) => void): { child: ChildProcess; ready: Promise<{ url: string; port: number }> } {
  const entry = fileURLToPath(CHILD_ENTRY);
  if (!existsSync(entry)) throw new TargetError(`ingest servers are not built (missing ${entry}): run \`npm run build\``);
  const env = childEnv({ [INGEST_SECRET_ENV]: JSON.stringify({ apiKey }) });
  const child = fork(entry, [JSON.stringify(config)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], env });
  let tail = '';
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLog?.(line);
  });
  const what = config.role === 'model-api' ? 'mock model API' : 'ingestion server';
  const ready = new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new StartError(`${what} was not ready within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    child.on('message', (msg: IngestChildMessage) => {
      clearTimeout(timer);
      if (msg.type === 'ready') resolve({ url: msg.url, port: msg.port });
      else reject(new StartError(`${what} could not start: ${msg.message}`, msg.code));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new StartError(`${what} exited with ${signal ?? `code ${code}`} before it was ready${tail.trim() ? `:\n${tail.trim()}` : ''}`));
    });
  });
  return { child, ready };
}

async function stopChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_ESCALATE_MS);
  await exited;
  clearTimeout(escalate);
}

export async function launchIngestProcess(config: IngestChildConfig, opts: { apiKey?: string; onLog?: (line: string) => void } = {}): Promise<IngestProcess> {
  let current = spawn(config, opts.apiKey, opts.onLog);
  const forgetOnExit = killOnExit((): void => {
    current.child.kill('SIGKILL');
  });
  const first = await current.ready.catch((err: unknown) => {
    forgetOnExit();
    throw err;
  });
  let stopped = false;
  return {
    url: first.url,
    port: first.port,
    get pid() {
      return current.child.pid ?? 0;
    },
    async restart(mode, downtimeMs) {
      await stopChild(current.child, mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
      await new Promise((r) => setTimeout(r, Math.max(0, downtimeMs)));
      const deadline = Date.now() + REBIND_TIMEOUT_MS;
      for (;;) {
        if (stopped) throw new TargetError('the server was stopped during a restart');
        current = spawn({ ...config, options: { ...config.options, port: first.port } } as IngestChildConfig, opts.apiKey, opts.onLog);
        try {
          await current.ready;
          return;
        } catch (err) {
          if (!(err instanceof StartError && err.code === 'EADDRINUSE') || Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async stop() {
      stopped = true;
      forgetOnExit();
      await stopChild(current.child, 'SIGTERM');
    },
  };
}
