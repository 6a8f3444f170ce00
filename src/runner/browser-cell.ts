// Browser viewers beside a cell's Node clients: Chromium is launched before the pool starts (its
// start-up is not inside any window), the pages open their streams at ramp-up, measure with the
// pool's measured window and stop at its drain, so the cell's `browser` block covers the same time.
// playwright-core is loaded only for a cell with viewers: it is megabytes of code every run would hold.
import type { LoadPool } from '../client/pool-options.js';
import { UsageError } from '../errors.js';
import type { BrowserResult } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { CellPlan } from '../scenario/sweep.js';

export interface CellViewers {
  /** The merged result once the pool's drain began (or the pool ended). */
  result(): Promise<BrowserResult>;
  close(): Promise<void>;
}

export async function attachViewers(pool: LoadPool, plan: CellPlan, url: string, scenario: Scenario, staged: boolean): Promise<CellViewers | undefined> {
  if (scenario.browsers.pages === 0) return undefined;
  if (staged) throw new UsageError('browser viewers are not available with stages (bench soak); use bench run or bench sweep');
  const { BrowserViewers } = await import('../browser/viewers.js');
  const viewers = await BrowserViewers.launch(scenario.browsers.pages);
  const p = plan.params;
  let stopped: Promise<BrowserResult> | undefined;
  const stop = (): Promise<BrowserResult> => (stopped ??= viewers.stop());
  pool.on('phase', (phase: string) => {
    if (phase === 'ramp-up') {
      void viewers.start({
        url,
        streams: scenario.browsers.streams,
        format: p.format,
        resolution: p.resolution,
        quality: p.quality,
        fps: p.fps,
        frames: p.framesPerRequest === 'continuous' ? 0 : p.framesPerRequest,
        bufferDepth: p.bufferDepth,
      });
    } else if (phase === 'measure') void viewers.measure();
    else if (phase === 'drain' || phase === 'done') void stop();
  });
  return { result: stop, close: () => viewers.close() };
}
