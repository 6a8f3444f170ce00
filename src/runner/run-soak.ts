// A soak: a run in soak mode: one long cell following stages (ramp to peak × multiplier, hold, ramp
// down), with chaos from the scenario, live state for the terminal and an append-only time series;
// its hooks add the Prometheus scraper (a sampler of the measured window) and the drift analysis of
// the hold phase to the results before the run writes them, once.
import { stageAt, stagesDurationMs } from '../scenario/stages.js';
import type { Results, TimeseriesPoint } from '../results/types.js';
import { mergeConsecutive } from '../metrics/windows.js';
import { parseDuration } from '../text/duration.js';
import type { LoadedScenario } from '../scenario/load.js';
import { analyzeDrift, evaluateDriftThresholds, parseDriftThresholds } from '../soak/drift.js';
import { Scraper } from '../soak/scraper.js';
import { topologyScrape } from '../topology/scrape.js';
import type { SoakResults } from '../results/types.js';
import type { LiveState } from '../soak/types.js';
import { resolveWorkers } from './capacity.js';
import type { RunOptions, RunOutcome, RunProgress } from './run-options.js';
import { runScenario } from './run-scenario.js';
import { planSoak, type SoakShape } from '../scenario/soak-plan.js';

export interface SoakOptions extends RunOptions {
  shape: SoakShape;
  scrapeUrls?: string[];
  series?: string[];
  scrapeIntervalMs?: number;
  /** Upgrade headers, also sent to /metrics (a bearer token protects both on the reference server). */
  headers?: Record<string, string>;
  onLive?: (state: LiveState) => void;
}

/** The /metrics URL of a WebSocket target: same host and port, http(s). */
export function metricsUrlOf(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/metrics';
  u.search = '';
  return u.toString();
}

function lastSeconds(points: readonly TimeseriesPoint[], seconds: number): number | null {
  const recent = points.filter((p) => p.t > (points.at(-1)?.t ?? 0) - seconds);
  return recent.length ? mergeConsecutive(recent).p99 : null;
}

export async function runSoak(loaded: LoadedScenario, opts: SoakOptions): Promise<RunOutcome & { soak: SoakResults }> {
  const { scenario } = loaded;
  const plan = planSoak(scenario, opts.shape);
  const scrapeCfg = scenario.scrape;
  const topo = scrapeCfg?.topology ? topologyScrape(scrapeCfg.topology) : undefined;
  const scrapeUrls = [...(opts.scrapeUrls ?? []), ...(scrapeCfg?.urls ?? []), ...(topo?.urls ?? [])];
  const totalSec = stagesDurationMs(plan.stages) / 1000;
  const recent: TimeseriesPoint[] = [];
  const live: LiveState = {
    elapsedSec: 0,
    totalSec,
    stage: { index: 0, count: plan.stages.length, target: plan.stages[0]?.target ?? 0 },
    clients: { connected: 0, target: 0 },
    framesPerSec: 0,
    p99Last10sMs: null,
    errors: 0,
    reconnects: 0,
    harness: { cpuPct: 0, eventLoopP99Ms: 0 },
  };
  let scraper: Scraper | undefined;
  /** Shards share one target: the first shard scrapes it for all (the merge takes its series). */
  const samplers = (target: { url: string }): Scraper[] => {
    if (opts.shard && opts.shard.index > 0) return [];
    const urls = [...scrapeUrls, ...(scrapeCfg?.fromTarget ? [metricsUrlOf(opts.target ?? target.url)] : [])];
    if (!urls.length) return [];
    scraper = new Scraper({
      urls,
      series: [...(opts.series ?? []), ...(scrapeCfg?.series ?? []), ...(topo?.series ?? [])],
      intervalMs: opts.scrapeIntervalMs ?? parseDuration(scrapeCfg?.interval ?? '15s') ?? 15_000,
      headers: opts.headers,
      ca: opts.wsOptions?.ca as string | Buffer | undefined,
      rejectUnauthorized: opts.wsOptions?.rejectUnauthorized,
      onError: (url, err) => opts.onProgress?.({ type: 'log', message: `scrape ${url}: ${err.message}` }),
    });
    return [scraper];
  };
  const onProgress = (p: RunProgress): void => {
    if (p.type === 'target' && topo?.warning) opts.onProgress?.({ type: 'log', message: topo.warning });
    if (p.type === 'stage') live.stage = { index: p.index, count: plan.stages.length, target: p.target };
    if (p.type === 'tick') {
      recent.push(p.point);
      while (recent.length > 10) recent.shift();
      live.elapsedSec = p.point.t;
      live.clients = { connected: p.connections, target: stageAt(plan.stages, p.point.t * 1000).target };
      live.framesPerSec = p.point.framesPerSec;
      live.p99Last10sMs = lastSeconds(recent, 10);
      live.errors += p.point.errors;
      live.reconnects += p.point.reconnects ?? 0;
      live.harness = { cpuPct: p.point.harnessCpuPct ?? 0, eventLoopP99Ms: p.point.loopDelayP99Ms ?? 0 };
      if (scraper) {
        const r = scraper.results();
        live.scrape = { ok: r.reduce((n, x) => n + (x.scrapes ?? 0), 0), errors: r.reduce((n, x) => n + x.errors, 0) };
      }
      opts.onLive?.(live);
    }
    opts.onProgress?.(p);
  };
  if (opts.signal) opts.signal.addEventListener('abort', () => ((live.stopping = true), opts.onLive?.(live)), { once: true });

  const soakScenario = { ...scenario, clients: plan.peakClients, sweep: undefined, repeat: 1 };
  // Soaks run their clients in worker processes (auto: at least one), keeping the main process light.
  const workers = opts.workers === undefined || opts.workers === 'auto' ? Math.max(1, resolveWorkers('auto', plan.peakClients, !opts.target)) : opts.workers;
  /** The soak block (scraped series, drift of the hold, drift thresholds) joins the results before their one write. */
  const finish = (results: Results): Results => {
    const cell = results.cells[0];
    const scrape = scraper?.results() ?? [];
    const hold = plan.hold ?? (cell ? { fromSec: 0, toSec: cell.durationSec } : undefined);
    const drift = cell && hold ? analyzeDrift(cell.timeseries, scrape, { window: hold }) : undefined;
    const driftThresholds = evaluateDriftThresholds(parseDriftThresholds(scenario.drift), drift);
    const soak: SoakResults = {
      ...(opts.shape.peak !== undefined ? { peak: opts.shape.peak, multiplier: opts.shape.multiplier } : {}),
      stages: plan.stagesText,
      ...(hold ? { holdWindow: hold } : {}),
      scrape,
      ...(drift ? { drift } : {}),
      ...(driftThresholds.length ? { driftThresholds } : {}),
    };
    return { ...results, soak, ok: results.ok && driftThresholds.every((t) => t.ok) };
  };
  const hooks = { samplers, finish };
  const outcome = await runScenario({ file: loaded.file, scenario: soakScenario }, { ...opts, workers, stages: plan.stages, appendTimeseries: true, onProgress, hooks });
  const { soak } = outcome.results;
  if (!soak) throw new Error('soak: the run finished without calling its finish hook');
  return { ...outcome, soak };
}
