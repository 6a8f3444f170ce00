// One embedded-server child process: forks dist/server/child.js with IPC (tokens go in the environment,
// not on the command line), keeps a stderr tail for error messages, waits for ready, answers stats
// over IPC, and stops by signal.
import { childEnv } from '../child-env.js';
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { TargetError } from '../errors.js';
import { SECRETS_ENV, type ChildConfig, type ChildMessage, type ChildSecrets, type ParentMessage } from './ipc.js';
import type { ServerStats } from './options.js';

/** The child could not start; `code` is 'EADDRINUSE' when its port was taken. */
export class ChildStartError extends TargetError {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const STDERR_TAIL_BYTES = 4096;
const STATS_TIMEOUT_MS = 5000;
const STOP_ESCALATE_MS = 10_000;

export class ChildHandle {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private tail = '';
  private nextId = 1;
  private readonly pending = new Map<number, (s: ServerStats) => void>();

  constructor(entry: string, config: ChildConfig, secrets: ChildSecrets, onLog?: (line: string) => void) {
    const env = childEnv({ [SECRETS_ENV]: JSON.stringify(secrets) });
    this.child = fork(entry, [JSON.stringify(config)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], env });
    this.exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    let partial = '';
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.tail = (this.tail + chunk).slice(-STDERR_TAIL_BYTES);
      if (!onLog) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLog(line);
    });
    this.child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'stats') this.pending.get(msg.id)?.(msg.stats);
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the listening address; on failure the child is killed and the error names the cause. */
  ready(timeoutMs: number): Promise<{ url: string; port: number }> {
    const child = this.child;
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
          this.detachFromParentLoop();
          resolve({ url: msg.url, port: msg.port });
        } else if (msg.type === 'error') fail(new ChildStartError(msg.message, msg.code));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        const how = signal ? `signal ${signal}` : `code ${code}`;
        const t = this.tail.trim();
        fail(new ChildStartError(`embedded server exited with ${how} before it was ready${t ? `:\n${t}` : ''}`));
      };
      const onError = (err: Error): void => fail(new ChildStartError(`cannot start the embedded server: ${err.message}`));
      const timer = setTimeout(() => fail(new ChildStartError(`embedded server was not ready within ${timeoutMs} ms`)), timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }

  stats(): Promise<ServerStats> {
    return new Promise<ServerStats>((resolve, reject) => {
      if (!this.running || !this.child.connected) {
        reject(new TargetError('embedded server is not running'));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TargetError(`embedded server did not answer a stats request within ${STATS_TIMEOUT_MS} ms`));
      }, STATS_TIMEOUT_MS);
      this.pending.set(id, (s) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(s);
      });
      this.child.send({ type: 'stats', id } satisfies ParentMessage);
    });
  }

  /** Sends `signal` (SIGTERM escalates to SIGKILL after a timeout) and resolves once the child exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const escalate = setTimeout(() => this.child.kill('SIGKILL'), STOP_ESCALATE_MS);
    await this.exited;
    clearTimeout(escalate);
  }

  /** A forgotten server must not keep the harness alive; pending stats/stop calls hold their own timers. */
  private detachFromParentLoop(): void {
    this.child.on('error', () => {});
    this.child.unref();
    this.child.channel?.unref();
    (this.child.stderr as Socket | null)?.unref?.();
  }
}
