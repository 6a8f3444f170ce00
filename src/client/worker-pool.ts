// Runs one cell's clients across several worker processes (each its own event loop and CPU) and
// merges what they report exactly: windows slot by slot, histograms through HDR, counts summed.
// Presents the same face as ClientPool to the runner and the chaos engine.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import { TargetError } from '../errors.js';
import type { CollectorSnapshot } from '../metrics/collector.js';
import { mergeSnapshots } from '../metrics/merge.js';
import type { RunEvent, TimeseriesPoint } from '../results/types.js';
import { SlotAligner } from '../metrics/slots.js';
import type { PoolEvents, PoolOptions } from './pool-options.js';
import { scaleStages } from '../scenario/stages.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const ENTRY = new URL('../../dist/client/worker-entry.js', import.meta.url);
const START_DELAY_MS = 300;

interface Worker {
  child: ChildProcess;
  connections: number;
  clients: number;
  /** Global index of the worker's first client. */
  offset: number;
  /** Source index in the slot aligner. */
  index: number;
  ended: boolean;
  done?: CollectorSnapshot;
}

/** Buffers (a CA, a client certificate) as PEM text, so the options survive IPC's JSON. */
function ipcSafe(ws: PoolOptions['wsOptions']): PoolOptions['wsOptions'] {
  const out: Record<string, unknown> = { ...ws };
  for (const [k, v] of Object.entries(out)) if (Buffer.isBuffer(v)) out[k] = v.toString('utf8');
  return out as PoolOptions['wsOptions'];
}

/** Splits `total` clients over `workers` as evenly as possible. */
export function splitClients(total: number, workers: number): number[] {
  const n = Math.max(1, Math.min(workers, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

export class WorkerPool extends EventEmitter<PoolEvents> {
  readonly events: RunEvent[] = [];
  private readonly workers: Worker[] = [];
  private aligner = new SlotAligner(1);

  constructor(
    private readonly opts: PoolOptions,
    private readonly count: number,
  ) {
    super();
  }

  get connections(): number {
    return this.workers.reduce((n, w) => n + w.connections, 0);
  }

  killClients(pick: (n: number) => number[]): number {
    const picked = pick(this.connections).sort((a, b) => a - b);
    let base = 0;
    for (const w of this.workers) {
      const mine = picked.filter((i) => i >= base && i < base + w.connections).map((i) => i - base);
      if (mine.length) this.post(w, { type: 'kill', indices: mine });
      base += w.connections;
    }
    return picked.length;
  }

  async run(): Promise<CollectorSnapshot> {
    const entry = fileURLToPath(ENTRY);
    if (!existsSync(entry)) throw new TargetError(`client workers are not built (missing ${entry}): run \`npm run build\``);
    const { signal, startAtMs: _startAt, ...rest } = this.opts;
    const options = { ...rest, wsOptions: ipcSafe(rest.wsOptions) };
    const shares = splitClients(options.params.clients, this.count);
    let offset = options.indexOffset ?? 0;
    this.aligner = new SlotAligner(shares.length, (this.opts.windowMs ?? 1000) / 1000);
    for (const clients of shares) {
      const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env: childEnv() });
      const w: Worker = { child, connections: 0, clients, offset, index: this.workers.length, ended: false };
      this.workers.push(w);
      w.child.on('message', (m: FromWorker) => this.onMessage(w, m));
      offset += clients;
    }
    const onAbort = (): void => {
      for (const w of this.workers) this.post(w, { type: 'abort' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(this.workers.map((w) => this.ready(w)));
      const startAt = Math.max(Date.now() + START_DELAY_MS, this.opts.startAtMs ?? 0);
      for (const w of this.workers) {
        const params = { ...options.params, clients: w.clients };
        const stages = options.stages && scaleStages(options.stages, w.clients, options.params.clients);
        this.post(w, { type: 'run', startAt, options: { ...options, params, stages, indexOffset: w.offset, seed: (options.seed ?? 1) + w.offset } });
      }
      if (signal?.aborted) onAbort();
      const snaps = await Promise.all(this.workers.map((w) => this.finished(w)));
      for (const w of this.workers) this.endTicks(w);
      const merged = mergeSnapshots(snaps);
      merged.timeseries = [...this.aligner.series];
      merged.events = [...merged.events, ...this.events].sort((a, b) => a.t - b.t);
      return merged;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      for (const w of this.workers) if (w.child.connected) w.child.disconnect();
    }
  }

  private post(w: Worker, msg: ToWorker): void {
    if (w.child.connected) w.child.send(msg);
  }

  private onMessage(w: Worker, m: FromWorker): void {
    switch (m.type) {
      case 'phase':
        if (m.phase === 'drain' || m.phase === 'done') this.endTicks(w);
        if (w === this.workers[0]) this.emit('phase', m.phase, m.atMs ?? Date.now());
        return;
      case 'stage':
        if (w === this.workers[0]) this.emit('stage', m.index, this.opts.stages?.[m.index]?.target ?? 0);
        return;
      case 'status':
        w.connections = m.connections;
        return;
      case 'tick':
        this.publish(this.aligner.push(w.index, m.point));
        return;
      case 'done':
        w.done = m.snapshot;
        this.endTicks(w);
        return;
      case 'error':
        this.endTicks(w);
        return;
      default:
        return;
    }
  }

  /** The worker sends no more windows (measuring ended, it failed or exited). */
  private endTicks(w: Worker): void {
    if (w.ended) return;
    w.ended = true;
    this.publish(this.aligner.end(w.index));
  }

  private publish(points: TimeseriesPoint[]): void {
    for (const p of points) this.emit('tick', p);
  }

  private ready(w: Worker): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: FromWorker): void => {
        if (m.type !== 'ready') return;
        w.child.off('message', onMsg);
        w.child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null): void => reject(new TargetError(`a client worker exited with code ${code} before it was ready`));
      w.child.on('message', onMsg);
      w.child.once('exit', onExit);
    });
  }

  private finished(w: Worker): Promise<CollectorSnapshot> {
    return new Promise((resolve, reject) => {
      if (w.done) return resolve(w.done);
      const onMsg = (m: FromWorker): void => {
        if (m.type === 'done') resolve(m.snapshot);
        else if (m.type === 'error') reject(new Error(`client worker failed: ${m.message}`));
      };
      w.child.on('message', onMsg);
      w.child.once('exit', (code) => {
        this.endTicks(w);
        if (!w.done) reject(new Error(`client worker exited with code ${code} before it finished`));
      });
    });
  }
}
