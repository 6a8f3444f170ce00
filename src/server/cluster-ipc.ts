// Messages between a cluster primary and its server workers, and a small typed request/reply
// channel over the IPC link that both sides use (the primary asks a worker for its own stats or a
// local drop; a worker asks the primary for the cluster totals or a cluster-wide drop).
import type { CorpusKey } from '../frames/corpus.js';
import type { DropAmount, DropResult } from './admin-http.js';
import type { ClusterStats, ServerOptions, ServerStats } from './options.js';

/** Environment variable with the worker's WorkerConfig as JSON (tokens travel in SECRETS_ENV). */
export const WORKER_CONFIG_ENV = 'FRAMEBENCH_CLUSTER_WORKER';

export interface WorkerConfig {
  options: Omit<ServerOptions, 'onLog' | 'token' | 'adminToken' | 'workers'>;
  prewarm?: CorpusKey[];
}

/** name → [argument, reply] */
type Methods = Record<string, [unknown, unknown]>;

/** What a worker answers for the primary. */
export type WorkerMethods = {
  stats: [undefined, ServerStats];
  drop: [DropAmount, DropResult];
};

/** What the primary answers for a worker. */
export type PrimaryMethods = {
  clusterStats: [undefined, ClusterStats];
  clusterDrop: [DropAmount, DropResult];
};

interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  arg?: unknown;
}

interface ResultMessage {
  type: 'result';
  id: number;
  value?: unknown;
  error?: string;
}

/** Lifecycle notices from a worker (not request/reply). */
export type WorkerNotice = { type: 'ready'; url: string; port: number } | { type: 'start-error'; message: string; code?: string } | { type: 'final'; stats: ServerStats };

export type PrimaryNotice = { type: 'shutdown'; graceful: boolean };

export type Handlers<M extends Methods> = { [K in keyof M]: (arg: M[K][0]) => M[K][1] | Promise<M[K][1]> };

export const CALL_TIMEOUT_MS = 3000;

/** Request/reply over one IPC link: calls the peer's `Remote` methods and answers its calls with `local`. */
export class CallChannel<Local extends Methods, Remote extends Methods> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly send: (msg: CallMessage | ResultMessage) => boolean,
    private readonly local: Handlers<Local>,
  ) {}

  call<K extends keyof Remote & string>(method: K, arg: Remote[K][0], timeoutMs = CALL_TIMEOUT_MS): Promise<Remote[K][1]> {
    return new Promise<Remote[K][1]>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (!this.send({ type: 'call', id, method, arg })) this.settle({ type: 'result', id, error: 'the IPC channel is closed' });
    });
  }

  /** Handles a call or result; false for any other message. */
  receive(msg: unknown): boolean {
    const m = msg as Partial<CallMessage | ResultMessage> | null;
    if (m?.type === 'result') this.settle(m as ResultMessage);
    else if (m?.type === 'call') void this.answer(m as CallMessage);
    else return false;
    return true;
  }

  /** Rejects every call still waiting (the peer is gone). */
  close(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle({ type: 'result', id, error: reason });
  }

  private settle(msg: ResultMessage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error !== undefined) p.reject(new Error(msg.error));
    else p.resolve(msg.value);
  }

  private async answer({ id, method, arg }: CallMessage): Promise<void> {
    const handlers = this.local as Record<string, (arg: unknown) => unknown>;
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    try {
      if (!handler) throw new Error(`unknown method ${method}`);
      this.send({ type: 'result', id, value: await handler(arg) });
    } catch (err) {
      this.send({ type: 'result', id, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
