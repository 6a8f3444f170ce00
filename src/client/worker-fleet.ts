// The worker processes of one cell, whatever they run (download clients or upload cameras): fork,
// wait until ready, start them together, kill clients by their global index, merge the windows they
// send slot by slot, and collect each worker's final snapshot. A pool built on it names its worker
// entry, the `run` message each worker gets, and how the snapshots merge.
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childEnv, HARNESS_V8_FLAGS } from '../child-env.js';
import { TargetError } from '../errors.js';
import { SlotAligner } from '../metrics/slots.js';
import type { RunEvent, TimeseriesPoint } from '../results/types.js';
import type { Stage } from '../scenario/stages.js';
import type { PoolEvents } from './pool-options.js';

export type WorkerPhase = 'ramp-up' | 'warm-up' | 'measure' | 'drain' | 'done';

/** What every worker tells its fleet; a worker may tell more (its protocol's own messages). */
export type FleetMessage<Snap> =
  | { type: 'ready' }
  | { type: 'phase'; phase: WorkerPhase; atMs?: number }
  | { type: 'tick'; point: TimeseriesPoint }
  | { type: 'stage'; index: number; target?: number }
  | { type: 'status'; connections: number }
  | { type: 'done'; snapshot: Snap }
  | { type: 'error'; message: string };

export type FleetCommand = { type: 'abort' } | { type: 'kill'; indices: number[] };

export interface FleetWorker<Snap> {
  child: ChildProcess;
  clients: number;
  /** Global index of the worker's first client. */
  offset: number;
  /** Source index in the slot aligner. */
  index: number;
  connections: number;
  ended: boolean;
  done?: Snap;
  failed?: string;
}

export interface FleetRun<Run> {
  /** Clients per worker (see splitClients). */
  shares: number[];
  firstOffset: number;
  windowSec: number;
  signal?: AbortSignal;
  /** The `run` message for one worker, all starting at `startAt` (epoch ms). */
  runMessage(w: FleetWorker<unknown>, startAt: number): Run;
  /** Start no earlier than this (a synchronised start). */
  startAtMs?: number;
  startDelayMs: number;
}

/** Splits `total` clients over `workers` as evenly as possible. */
export function splitClients(total: number, workers: number): number[] {
  const n = Math.max(1, Math.min(workers, total));
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** Buffers (a CA, a client certificate) as PEM text, so the options survive IPC's JSON. */
export function ipcSafe<T>(ws: T): T {
  const out: Record<string, unknown> = { ...(ws as Record<string, unknown> | undefined) };
  for (const [k, v] of Object.entries(out)) if (Buffer.isBuffer(v)) out[k] = v.toString('utf8');
  return out as T;
}

export abstract class WorkerFleet<Snap, Run extends { type: 'run' }> extends EventEmitter<PoolEvents> {
  readonly events: RunEvent[] = [];
  protected readonly workers: FleetWorker<Snap>[] = [];
  protected aligner = new SlotAligner(1);

  /** `noun` names the workers in errors ("client", "camera"). */
  constructor(
    private readonly noun: string,
    private readonly entry: URL,
    private readonly stages: readonly Stage[] | undefined,
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

  /** The first worker's phase changes are the cell's (the workers start together). */
  protected onPhase(_phase: WorkerPhase, _atMs: number): void {}

  /** Forks the workers, runs them, and returns their snapshots in worker order. */
  protected async runWorkers(run: FleetRun<Run>): Promise<Snap[]> {
    const entry = fileURLToPath(this.entry);
    if (!existsSync(entry)) throw new TargetError(`${this.noun} workers are not built (missing ${entry}): run \`npm run build\``);
    this.aligner = new SlotAligner(run.shares.length, run.windowSec);
    let offset = run.firstOffset;
    for (const clients of run.shares) {
      const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...HARNESS_V8_FLAGS], env: childEnv() });
      const w: FleetWorker<Snap> = { child, clients, offset, index: this.workers.length, connections: 0, ended: false };
      this.workers.push(w);
      child.on('message', (m: FleetMessage<Snap>) => this.onMessage(w, m));
      offset += clients;
    }
    const onAbort = (): void => {
      for (const w of this.workers) this.post(w, { type: 'abort' });
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(this.workers.map((w) => this.ready(w)));
      const startAt = Math.max(Date.now() + run.startDelayMs, run.startAtMs ?? 0);
      for (const w of this.workers) this.post(w, run.runMessage(w, startAt));
      if (run.signal?.aborted) onAbort();
      const snaps = await Promise.all(this.workers.map((w) => this.finished(w)));
      for (const w of this.workers) this.endTicks(w);
      return snaps;
    } finally {
      run.signal?.removeEventListener('abort', onAbort);
      for (const w of this.workers) if (w.child.connected) w.child.disconnect();
    }
  }

  private post(w: FleetWorker<Snap>, msg: Run | FleetCommand): void {
    if (w.child.connected) w.child.send(msg);
  }

  private onMessage(w: FleetWorker<Snap>, m: FleetMessage<Snap>): void {
    switch (m.type) {
      case 'phase':
        if (m.phase === 'drain' || m.phase === 'done') this.endTicks(w);
        if (w === this.workers[0]) {
          const atMs = m.atMs ?? Date.now();
          this.onPhase(m.phase, atMs);
          this.emit('phase', m.phase, atMs);
        }
        return;
      case 'stage':
        if (w === this.workers[0]) this.emit('stage', m.index, this.stages?.[m.index]?.target ?? m.target ?? 0);
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
        w.failed = m.message;
        this.endTicks(w);
        return;
      default:
        return;
    }
  }

  /** The worker sends no more windows (measuring ended, it failed or exited). */
  private endTicks(w: FleetWorker<Snap>): void {
    if (w.ended) return;
    w.ended = true;
    this.publish(this.aligner.end(w.index));
  }

  private publish(points: TimeseriesPoint[]): void {
    for (const p of points) this.emit('tick', p);
  }

  private ready(w: FleetWorker<Snap>): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: FleetMessage<Snap>): void => {
        if (m.type !== 'ready') return;
        w.child.off('message', onMsg);
        w.child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null): void => reject(new TargetError(`a ${this.noun} worker exited with code ${code} before it was ready`));
      w.child.on('message', onMsg);
      w.child.once('exit', onExit);
    });
  }

  private finished(w: FleetWorker<Snap>): Promise<Snap> {
    return new Promise((resolve, reject) => {
      if (w.done) return resolve(w.done);
      if (w.failed) return reject(new Error(`${this.noun} worker failed: ${w.failed}`));
      w.child.on('message', (m: FleetMessage<Snap>) => {
        if (m.type === 'done') resolve(m.snapshot);
        else if (m.type === 'error') reject(new Error(`${this.noun} worker failed: ${m.message}`));
      });
      w.child.once('exit', (code) => {
        this.endTicks(w);
        if (!w.done) reject(new Error(`${this.noun} worker exited with code ${code} before it finished`));
      });
    });
  }
}
