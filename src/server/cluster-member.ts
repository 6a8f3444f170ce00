// One server worker as the cluster primary sees it: forked through node:cluster (settings from
// cluster.setupPrimary), its stderr forwarded line by line, ready/start-error notices, request/reply
// calls, the last stats it reported (folded into the retired totals when it exits), and stop.
import cluster, { type Worker } from 'node:cluster';
import type { Readable } from 'node:stream';
import { ChildStartError } from './child-process.js';
import { CallChannel, type Handlers, type PrimaryMethods, type WorkerMethods, type WorkerNotice } from './cluster-ipc.js';
import type { ServerStats } from './options.js';

const STDERR_TAIL_BYTES = 4096;
const STOP_ESCALATE_MS = 10_000;

export class ClusterMember {
  readonly worker: Worker;
  readonly pid: number;
  readonly startedMs = Date.now();
  readonly exited: Promise<void>;
  readonly channel: CallChannel<PrimaryMethods, WorkerMethods>;
  ready = false;
  /** The latest stats it answered; `final` is sent by the worker after a shutdown. */
  last: ServerStats | undefined;
  final: ServerStats | undefined;
  exitReason = '';
  private tail = '';

  constructor(env: NodeJS.ProcessEnv, handlers: Handlers<PrimaryMethods>, onLog: (line: string) => void) {
    this.worker = cluster.fork(env);
    this.pid = this.worker.process.pid ?? 0;
    this.channel = new CallChannel((msg) => this.worker.isConnected() && this.worker.send(msg), handlers);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code: number | null, signal: string | null) => {
        this.exitReason = signal ? `signal ${signal}` : `code ${code}`;
        this.channel.close(`worker ${this.pid} exited`);
        resolve();
      }),
    );
    this.worker.on('error', (err: Error) => onLog(`worker ${this.pid}: ${err.message}`));
    this.worker.on('message', (msg: unknown) => {
      if (this.channel.receive(msg)) return;
      const notice = msg as Partial<WorkerNotice> | null;
      if (notice?.type === 'final') this.final = notice.stats;
    });
    const stderr = this.worker.process.stderr as Readable | null;
    let partial = '';
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => {
      this.tail = (this.tail + chunk).slice(-STDERR_TAIL_BYTES);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLog(`worker ${this.pid}: ${line}`);
    });
  }

  get running(): boolean {
    return this.worker.process.exitCode === null && this.worker.process.signalCode === null;
  }

  /** Resolves with the worker's listening address; on failure it is killed and the error names the cause. */
  whenReady(timeoutMs: number): Promise<{ url: string; port: number }> {
    const w = this.worker;
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
      };
      const fail = (err: Error): void => {
        cleanup();
        w.process.kill('SIGKILL');
        reject(err);
      };
      const onMessage = (msg: WorkerNotice): void => {
        if (msg?.type === 'ready') {
          cleanup();
          this.ready = true;
          resolve({ url: msg.url, port: msg.port });
        } else if (msg?.type === 'start-error') fail(new ChildStartError(msg.message, msg.code));
      };
      const onExit = (code: number | null, signal: string | null): void => {
        const t = this.tail.trim();
        fail(new ChildStartError(`server worker exited with ${signal ? `signal ${signal}` : `code ${code}`} before it was ready${t ? `:\n${t}` : ''}`));
      };
      const timer = setTimeout(() => fail(new ChildStartError(`server worker was not ready within ${timeoutMs} ms`)), timeoutMs);
      w.on('message', onMessage);
      w.once('exit', onExit);
    });
  }

  /** Asks for its current stats and keeps them as `last`. */
  async refresh(): Promise<ServerStats> {
    this.last = await this.channel.call('stats', undefined);
    return this.last;
  }

  /** Graceful: streams closed with 1001 (shutdown notice, SIGTERM without IPC); escalates to SIGKILL. */
  async stop(graceful: boolean): Promise<void> {
    if (!this.running) return this.exited;
    if (!this.ready) this.worker.process.kill('SIGKILL');
    else if (this.worker.isConnected()) this.worker.send({ type: 'shutdown', graceful });
    else this.worker.process.kill(graceful ? 'SIGTERM' : 'SIGKILL');
    const escalate = setTimeout(() => this.worker.process.kill('SIGKILL'), STOP_ESCALATE_MS);
    await this.exited;
    clearTimeout(escalate);
  }
}
