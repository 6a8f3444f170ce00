// Runs one cell's clients across several worker processes (each its own event loop and CPU) and
// merges what they report exactly: windows slot by slot, histograms through HDR, counts summed.
// Presents the same face as ClientPool to the runner and the chaos engine.
import type { CollectorSnapshot } from '../metrics/collector.js';
import { mergeSnapshots } from '../metrics/merge.js';
import { scaleStages } from '../scenario/stages.js';
import type { PoolOptions } from './pool-options.js';
import { ipcSafe, splitClients, WorkerFleet } from './worker-fleet.js';
import type { ToWorker } from './worker-protocol.js';

export { splitClients } from './worker-fleet.js';

const ENTRY = new URL('../../dist/client/worker-entry.js', import.meta.url);
const START_DELAY_MS = 300;

export class WorkerPool extends WorkerFleet<CollectorSnapshot, Extract<ToWorker, { type: 'run' }>> {
  constructor(
    private readonly opts: PoolOptions,
    private readonly count: number,
  ) {
    super('client', ENTRY, opts.stages);
  }

  async run(): Promise<CollectorSnapshot> {
    const { signal, startAtMs, ...rest } = this.opts;
    const options = { ...rest, wsOptions: ipcSafe(rest.wsOptions) };
    const snaps = await this.runWorkers({
      shares: splitClients(options.params.clients, this.count),
      firstOffset: options.indexOffset ?? 0,
      windowSec: (this.opts.windowMs ?? 1000) / 1000,
      ...(signal ? { signal } : {}),
      ...(startAtMs !== undefined ? { startAtMs } : {}),
      startDelayMs: START_DELAY_MS,
      runMessage: (w, startAt) => {
        const params = { ...options.params, clients: w.clients };
        const stages = options.stages && scaleStages(options.stages, w.clients, options.params.clients);
        return { type: 'run', startAt, options: { ...options, params, stages, indexOffset: w.offset, seed: (options.seed ?? 1) + w.offset } };
      },
    });
    const merged = mergeSnapshots(snaps);
    merged.timeseries = [...this.aligner.series];
    merged.events = [...merged.events, ...this.events].sort((a, b) => a.t - b.t);
    return merged;
  }
}
