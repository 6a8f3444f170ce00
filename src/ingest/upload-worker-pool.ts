// Runs one upload cell's cameras across several worker processes (each its own event loop and CPU)
// and merges what they report exactly (see upload-merge.ts). The server's /stats is read here, once
// per second, and laid over the merged windows. Presents the same face as UploadPool.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import type { PoolEvents } from '../client/pool-options.js';
import { scaleStages } from '../scenario/stages.js';
import { splitClients } from '../client/worker-pool.js';
import { TargetError } from '../errors.js';
import type { RunEvent, TimeseriesPoint } from '../results/types.js';
import { SlotAligner } from '../metrics/slots.js';
import type { TemplateSpec } from './frame-templates.js';
import { ServerWindows, type ServerWindow } from './server-windows.js';
import type { UploadSnapshot } from './upload-collector.js';
import { mergeUploadSnapshots } from './upload-merge.js';
import type { UploadPoolOptions } from './upload-pool.js';
import type { FromUploadWorker, ToUploadWorker } from './upload-worker-protocol.js';

const ENTRY = new URL('../../dist/ingest/upload-worker-entry.js', import.meta.url);
const START_DELAY_MS = 1500;

interface Worker {
  child: ChildProcess;
  clients: number;
  offset: number;
  index: number;
  connections: number;
  ended: boolean;
  done?: UploadSnapshot;
  failed?: string;
}

export class UploadWorkerPool extends EventEmitter<PoolEvents> {
  readonly events: RunEvent[] = [];
  private readonly workers: Worker[] = [];
  private aligner = new SlotAligner(1);
  private readonly server: ServerWindows;
  private readonly serverSlots = new Map<number, ServerWindow>();
  private measureStartMs = 0;

  constructor(
    private readonly opts: Omit<UploadPoolOptions, 'templates'> & { templates: TemplateSpec },
    private readonly count: number,
  ) {
    super();
    this.server = new ServerWindows(opts.stats);
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

  async run(): Promise<UploadSnapshot> {
    const entry = fileURLToPath(ENTRY);
    if (!existsSync(entry)) throw new TargetError(`camera workers are not built (missing ${entry}): run \`npm run build\``);
    const { signal, stats: _stats, templates, ...rest } = this.opts;
    const wsOptions: Record<string, unknown> = { ...rest.wsOptions };
    for (const [k, v] of Object.entries(wsOptions)) if (Buffer.isBuffer(v)) wsOptions[k] = v.toString('utf8');
    const shares = splitClients(rest.clients, this.count);
    this.aligner = new SlotAligner(shares.length);
    let offset = rest.indexOffset ?? 0;
    for (const clients of shares) {
      const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env: childEnv() });
      const w: Worker = { child, clients, offset, index: this.workers.length, connections: 0, ended: false };
      this.workers.push(w);
      child.on('message', (m: FromUploadWorker) => this.onMessage(w, m));
      offset += clients;
    }
    const onAbort = (): void => {
      for (const w of this.workers) this.post(w, { type: 'abort' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(() => this.serverTick(), 1000);
    try {
      await Promise.all(this.workers.map((w) => this.ready(w)));
      const startAt = Date.now() + START_DELAY_MS;
      for (const w of this.workers) {
        const stages = rest.stages && scaleStages(rest.stages, w.clients, rest.clients);
        const options = { ...rest, wsOptions, clients: w.clients, stages, indexOffset: w.offset, seed: rest.seed + w.offset };
        this.post(w, { type: 'run', startAt, templates, options });
      }
      if (signal?.aborted) onAbort();
      const snaps = await Promise.all(this.workers.map((w) => this.finished(w)));
      clearInterval(ticker);
      await this.server.poll();
      this.serverTick();
      for (const w of this.workers) this.endTicks(w);
      const merged = mergeUploadSnapshots(snaps);
      merged.timeseries = snaps.length > 1 ? [...this.aligner.series] : merged.timeseries;
      for (const p of merged.ingestSeries) Object.assign(p, this.serverSlots.get(Math.round(p.t)) ?? {});
      merged.events = [...merged.events, ...this.events].sort((a, b) => a.t - b.t);
      return merged;
    } finally {
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      for (const w of this.workers) if (w.child.connected) w.child.disconnect();
    }
  }

  /** One reading of the server per second, filed under the slot of the measured window it falls in. */
  private serverTick(): void {
    if (this.measureStartMs > 0) {
      const slot = Math.max(1, Math.round((Date.now() - this.measureStartMs) / 1000));
      const w = this.server.take();
      if (w) this.serverSlots.set(slot, w);
    }
    void this.server.poll();
  }

  private post(w: Worker, msg: ToUploadWorker): void {
    if (w.child.connected) w.child.send(msg);
  }

  private onMessage(w: Worker, m: FromUploadWorker): void {
    switch (m.type) {
      case 'phase':
        if (m.phase === 'drain' || m.phase === 'done') this.endTicks(w);
        if (w !== this.workers[0]) return;
        if (m.phase === 'measure') this.measureStartMs = m.atMs;
        this.emit('phase', m.phase, m.atMs);
        return;
      case 'stage':
        if (w === this.workers[0]) this.emit('stage', m.index, this.opts.stages?.[m.index]?.target ?? m.target);
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
      const onMsg = (m: FromUploadWorker): void => {
        if (m.type !== 'ready') return;
        w.child.off('message', onMsg);
        w.child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null): void => reject(new TargetError(`a camera worker exited with code ${code} before it was ready`));
      w.child.on('message', onMsg);
      w.child.once('exit', onExit);
    });
  }

  private finished(w: Worker): Promise<UploadSnapshot> {
    return new Promise((resolve, reject) => {
      if (w.done) return resolve(w.done);
      if (w.failed) return reject(new Error(`camera worker failed: ${w.failed}`));
      w.child.on('message', (m: FromUploadWorker) => {
        if (m.type === 'done') resolve(m.snapshot);
        else if (m.type === 'error') reject(new Error(`camera worker failed: ${m.message}`));
      });
      w.child.once('exit', (code) => {
        this.endTicks(w);
        if (!w.done) reject(new Error(`camera worker exited with code ${code} before it finished`));
      });
    });
  }
}
