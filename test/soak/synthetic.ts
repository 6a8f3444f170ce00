// Synthetic soak data for tests: hold-phase windows and scraped series built from a seeded PRNG,
// flat, linearly drifting or spiky, plus a Results record carrying a soak block.
import type { Results } from '../../src/results/types.js';
import { analyzeDrift, evaluateDriftThresholds, parseDriftThresholds } from '../../src/soak/drift.js';
import type { HoldPoint, ScrapeResult, SoakResults } from '../../src/results/types.js';
import { buildMinimalResults } from '../fixtures/results-sweep.js';

import { mulberry32 as rng } from '../../src/random.js';

export { rng };

export interface HoldShape {
  fromSec?: number;
  seconds?: number;
  stepSec?: number;
  p99?: (f: number) => number;
  p50?: (f: number) => number;
  fps?: (f: number) => number;
  noise?: number;
  seed?: number;
}

/** Points every stepSec over [fromSec, fromSec + seconds]; shape functions take the fraction 0..1 of the hold. */
export function holdPoints(shape: HoldShape = {}): HoldPoint[] {
  const { fromSec = 600, seconds = 7200, stepSec = 10, noise = 0.03, seed = 1 } = shape;
  const r = rng(seed);
  const jitter = (): number => 1 + (r() * 2 - 1) * noise;
  const out: HoldPoint[] = [];
  for (let t = 0; t <= seconds; t += stepSec) {
    const f = t / seconds;
    out.push({
      t: fromSec + t,
      p50: (shape.p50?.(f) ?? 40) * jitter(),
      p99: (shape.p99?.(f) ?? 100) * jitter(),
      framesPerSec: (shape.fps?.(f) ?? 36_000) * jitter(),
      connections: 1200,
      reconnects: t % 60 === 0 ? 1 : 0,
    });
  }
  return out;
}

/** A scrape result with memory (bytes) rising at mbPerHour, connections and event-loop lag. */
export function scrapeResult(opts: { url?: string; fromSec?: number; seconds?: number; mbPerHour?: number; seed?: number } = {}): ScrapeResult {
  const { url = 'https://staging.example/metrics', fromSec = 0, seconds = 7800, mbPerHour = 0, seed = 7 } = opts;
  const r = rng(seed);
  const mem: Array<[number, number]> = [];
  const conns: Array<[number, number]> = [];
  const lag: Array<[number, number]> = [];
  for (let t = fromSec; t <= fromSec + seconds; t += 15) {
    mem.push([t, (300 + (mbPerHour * t) / 3600) * 1e6 * (1 + (r() - 0.5) * 0.01)]);
    conns.push([t, 1200 + Math.round((r() - 0.5) * 10)]);
    lag.push([t, 0.012 * (1 + (r() - 0.5) * 0.2)]);
  }
  return {
    url,
    errors: 0,
    scrapes: mem.length,
    series: [
      { name: 'process_resident_memory_bytes', labels: {}, points: mem },
      { name: 'framebench_server_connections', labels: {}, points: conns },
      { name: 'nodejs_eventloop_lag_seconds', labels: {}, points: lag },
    ],
  };
}

/** A results record with a soak block: p99 rising 40 %, memory +40 MB/h, one hostile scrape URL. */
export function soakResults(extra: Partial<SoakResults> = {}): Results & { soak: SoakResults } {
  const window = { fromSec: 600, toSec: 7800 };
  const points = holdPoints({ p99: (f) => 100 + 40 * f });
  const scrape = [scrapeResult({ mbPerHour: 40 }), { ...scrapeResult({ url: 'https://b.example/metrics?x=<img src=x onerror=alert(1)>', seed: 9 }), errors: 3, lastError: 'HTTP 503 <b>down</b>' }];
  scrape[1]?.series.push({
    name: 'queue_depth',
    labels: { q: '<script>alert(2)</script>' },
    points: [
      [600, 1],
      [1200, 2],
      [7800, 3],
    ],
  });
  const drift = analyzeDrift(points, scrape, { window });
  const specs = parseDriftThresholds({ 'frame.p99': '< 20%', 'target.memory': '< 50MB/h', 'churn.reconnectsPerMin': '< 5' });
  const soak: SoakResults = {
    peak: 400,
    multiplier: 3,
    stages: [
      { duration: '10m', target: 1200 },
      { duration: '2h', target: 1200 },
      { duration: '5m', target: 0 },
    ],
    holdWindow: window,
    scrape,
    drift,
    driftThresholds: evaluateDriftThresholds(specs, drift),
    ...extra,
  };
  return { ...buildMinimalResults(), interrupted: false, command: 'bench soak scenarios/soak.yaml --target wss://staging.example/stream', soak };
}
