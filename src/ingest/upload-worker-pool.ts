// Runs one upload cell's cameras across several worker processes (each its own event loop and CPU)
// and merges what they report exactly (see upload-merge.ts). The server's /stats is read here, once
// per second, and laid over the merged windows. Presents the same face as UploadPool.
import { scaleStages } from '../scenario/stages.js';
import { ipcSafe, splitClients, WorkerFleet, type WorkerPhase } from '../client/worker-fleet.js';
import type { TemplateSpec } from './frame-templates.js';
import { ServerWindows, type ServerWindow } from './server-windows.js';
import type { UploadSnapshot } from './upload-collector.js';
import { mergeUploadSnapshots } from './upload-merge.js';
import type { UploadPoolOptions } from './upload-pool.js';
import type { ToUploadWorker } from './upload-worker-protocol.js';

const ENTRY = new URL('../../dist/ingest/upload-worker-entry.js', import.meta.url);
const START_DELAY_MS = 1500;

export class UploadWorkerPool extends WorkerFleet<UploadSnapshot, Extract<ToUploadWorker, { type: 'run' }>> {
  private readonly server: ServerWindows;
  private readonly serverSlots = new Map<number, ServerWindow>();
  private measureStartMs = 0;

  constructor(
    private readonly opts: Omit<UploadPoolOptions, 'templates'> & { templates: TemplateSpec },
    private readonly count: number,
  ) {
    super('camera', ENTRY, opts.stages);
    this.server = new ServerWindows(opts.stats);
  }

  async run(): Promise<UploadSnapshot> {
    const { signal, stats: _stats, templates, ...rest } = this.opts;
    const wsOptions = ipcSafe(rest.wsOptions);
    const ticker = setInterval(() => this.serverTick(), 1000);
    try {
      const snaps = await this.runWorkers({
        shares: splitClients(rest.clients, this.count),
        firstOffset: rest.indexOffset ?? 0,
        windowSec: 1,
        ...(signal ? { signal } : {}),
        startDelayMs: START_DELAY_MS,
        runMessage: (w, startAt) => {
          const stages = rest.stages && scaleStages(rest.stages, w.clients, rest.clients);
          return { type: 'run', startAt, templates, options: { ...rest, wsOptions, clients: w.clients, stages, indexOffset: w.offset, seed: rest.seed + w.offset } };
        },
      });
      clearInterval(ticker);
      await this.server.poll();
      this.serverTick();
      const merged = mergeUploadSnapshots(snaps);
      merged.timeseries = snaps.length > 1 ? [...this.aligner.series] : merged.timeseries;
      for (const p of merged.ingestSeries) Object.assign(p, this.serverSlots.get(Math.round(p.t)) ?? {});
      merged.events = [...merged.events, ...this.events].sort((a, b) => a.t - b.t);
      return merged;
    } finally {
      clearInterval(ticker);
    }
  }

  protected override onPhase(phase: WorkerPhase, atMs: number): void {
    if (phase === 'measure') this.measureStartMs = atMs;
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
}
