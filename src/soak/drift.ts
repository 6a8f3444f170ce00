// Drift analysis of a soak's hold phase: for frame latency p50/p99, frames/s, connections and the
// target's scraped series (resident memory in MB, connections, event-loop lag, extra series),
// compare the first and last 10 % of the hold (medians) and fit a robust trend line.
//
// Trend: Theil–Sen slope (median of pairwise slopes: chaos spikes and restarts do not drag it),
// with the Mann–Kendall test for whether a monotonic trend exists at all.
// Verdict per metric:
//   insufficient-data  fewer than `minPoints` points in the hold, or an empty first/last 10 %;
//   drifting           |change first→last| ≥ minChangePct (10 %) AND the Theil–Sen slope has the
//                      same sign AND the Mann–Kendall |z| ≥ minTrendZ (1.96, i.e. 5 %);
//   not-measured       a zero baseline: 0 over the first 10 % and as the hold's median (e.g. no
//                      frames at all): there is no level to compare with, so never "stable";
//   stable             otherwise.
// The report is drifting when any metric drifts, stable when any is stable, else insufficient-data.
import { formatSeriesId } from './prom-text.js';
import { EVENT_LOOP_SERIES, MEMORY_SERIES, CONNECTIONS_SERIES, isConnectionsName } from './series-selector.js';
import { bucketBy, bucketPairs, mannKendallZ, mean, median, theilSen, type Pair } from './stats.js';
import type { DriftMetric, DriftMetricName, DriftReport, HoldPoint, ScrapeResult, ScrapeSeries } from '../results/types.js';
import { driftSentence } from './drift-text.js';

export { evaluateDriftThresholds, parseDriftThresholds, DriftThresholdError, type DriftThresholdSpec } from './drift-thresholds.js';

export const DRIFT_DEFAULTS = {
  minChangePct: 10,
  minTrendZ: 1.96,
  minPoints: 8,
  edgeFraction: 0.1,
  /** Points fed to the O(n²) trend statistics and kept for charts. */
  maxBuckets: 240,
  /** Scraped series analysed per URL and role (label sets beyond are ignored). */
  maxSeriesPerRole: 4,
};

export interface DriftOptions extends Partial<typeof DRIFT_DEFAULTS> {
  /** The hold window; default: the span of the points. */
  window?: { fromSec: number; toSec: number };
}

interface MetricInput {
  metric: DriftMetricName;
  label: string;
  unit: string;
  source?: string;
  pairs: Pair[];
}

type Settings = typeof DRIFT_DEFAULTS & { window: { fromSec: number; toSec: number }; edgeSec: number };

function analyzeMetric(input: MetricInput, s: Settings): DriftMetric {
  const { fromSec, toSec } = s.window;
  const pairs = input.pairs.filter(([t, v]) => t >= fromSec && t <= toSec && Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  const firstVals = pairs.filter(([t]) => t <= fromSec + s.edgeSec).map(([, v]) => v);
  const lastVals = pairs.filter(([t]) => t >= toSec - s.edgeSec).map(([, v]) => v);
  const bucketed = bucketPairs(pairs, s.maxBuckets);
  const enough = pairs.length >= s.minPoints && firstVals.length > 0 && lastVals.length > 0 && toSec > fromSec;
  const first = firstVals.length > 0 ? median(firstVals) : 0;
  const last = lastVals.length > 0 ? median(lastVals) : 0;
  const base = first !== 0 ? Math.abs(first) : Math.abs(median(pairs.map(([, v]) => v))) || 0;
  const changePct = base === 0 ? 0 : ((last - first) / base) * 100;
  const trend = enough ? theilSen(bucketed) : { slope: 0, intercept: pairs.length ? median(pairs.map(([, v]) => v)) : 0 };
  const trendZ = enough ? mannKendallZ(bucketed.map(([, v]) => v)) : 0;
  const agrees = Math.sign(trend.slope) === Math.sign(changePct) && Math.sign(trendZ) === Math.sign(changePct);
  const verdict = !enough ? 'insufficient-data' : base === 0 ? 'not-measured' : Math.abs(changePct) >= s.minChangePct && agrees && Math.abs(trendZ) >= s.minTrendZ ? 'drifting' : 'stable';
  const metric: DriftMetric = {
    metric: input.metric,
    label: input.label,
    unit: input.unit,
    first,
    last,
    changePct,
    slopePerHour: trend.slope * 3600,
    trend,
    trendZ,
    points: pairs.length,
    verdict,
    sentence: '',
  };
  if (input.source !== undefined) metric.source = input.source;
  metric.sentence = driftSentence(metric, s.edgeSec, s.minPoints, s.minChangePct);
  return metric;
}

const harnessPairs = (points: readonly HoldPoint[], key: 'p50' | 'p99' | 'framesPerSec' | 'connections'): Pair[] => points.filter((p) => key === 'framesPerSec' || key === 'connections' || p.framesPerSec > 0).map((p) => [p.t, p[key]]);

/** Per-second increase of a cumulative counter; a drop (restart) starts it again. */
export function counterRate(points: readonly Pair[]): Pair[] {
  const out: Pair[] = [];
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1] as Pair;
    const [t1, v1] = points[i] as Pair;
    if (t1 > t0 && v1 >= v0) out.push([t1, (v1 - v0) / (t1 - t0)]);
  }
  return out;
}

function scrapeInputs(result: ScrapeResult, cap: number): MetricInput[] {
  const src = (s: ScrapeSeries): string => `${result.url} ${formatSeriesId(s.name, s.labels)}`;
  const scaled = (s: ScrapeSeries, k: number): Pair[] => s.points.map(([t, v]) => [t, v * k]);
  const pick = (pred: (s: ScrapeSeries) => boolean): ScrapeSeries[] => result.series.filter(pred).slice(0, cap);
  const conns = result.series.filter((s) => isConnectionsName(s.name));
  conns.sort((a, b) => Number(b.name === CONNECTIONS_SERIES) - Number(a.name === CONNECTIONS_SERIES));
  const isRole = (s: ScrapeSeries): boolean => s.name === MEMORY_SERIES || s.name === EVENT_LOOP_SERIES || isConnectionsName(s.name);
  const cumulative = (name: string): boolean => /_(total|count|sum)$/.test(name);
  return [
    ...pick((s) => s.name === MEMORY_SERIES).map((s) => ({ metric: 'target.memory' as const, label: 'target memory', unit: 'MB', source: src(s), pairs: scaled(s, 1e-6) })),
    ...conns.slice(0, cap).map((s) => ({ metric: 'target.connections' as const, label: 'target connections', unit: 'connections', source: src(s), pairs: scaled(s, 1) })),
    ...pick((s) => s.name === EVENT_LOOP_SERIES).map((s) => ({ metric: 'target.eventLoopLag' as const, label: 'target event-loop lag', unit: 'ms', source: src(s), pairs: scaled(s, 1000) })),
    ...result.series
      .filter((s) => !isRole(s))
      .slice(0, cap * 3)
      .map((s) => ({
        metric: `series.${s.name}` as const,
        label: cumulative(s.name) ? `${s.name} rate` : s.name,
        unit: cumulative(s.name) ? '/s' : '',
        source: src(s),
        pairs: cumulative(s.name) ? counterRate(s.points) : scaled(s, 1),
      })),
  ];
}

/** Hold points merged into at most `maxBuckets` windows: mean t and rates, median latencies, summed reconnects. */
export function bucketHoldPoints(points: readonly HoldPoint[], maxBuckets: number): HoldPoint[] {
  if (points.length <= maxBuckets) return points.map((p) => ({ ...p }));
  return bucketBy(points, maxBuckets, (p) => p.t).map((g) => {
    const served = g.filter((p) => p.framesPerSec > 0);
    const lat = served.length > 0 ? served : g;
    return {
      t: mean(g.map((p) => p.t)),
      framesPerSec: mean(g.map((p) => p.framesPerSec)),
      p50: median(lat.map((p) => p.p50)),
      p99: median(lat.map((p) => p.p99)),
      connections: mean(g.map((p) => p.connections)),
      reconnects: g.reduce((n, p) => n + (p.reconnects ?? 0), 0),
    };
  });
}

function spanOf(points: readonly HoldPoint[], scrape: readonly ScrapeResult[]): { fromSec: number; toSec: number } {
  const ts = points.length > 0 ? points.map((p) => p.t) : scrape.flatMap((r) => r.series.flatMap((s) => s.points.map(([t]) => t)));
  if (ts.length === 0) return { fromSec: 0, toSec: 0 };
  return { fromSec: ts.reduce((a, b) => Math.min(a, b)), toSec: ts.reduce((a, b) => Math.max(a, b)) };
}

/** Drift of the hold phase from its per-window points and the scraped series (same time origin). */
export function analyzeDrift(points: readonly HoldPoint[], scrape: readonly ScrapeResult[], options: DriftOptions = {}): DriftReport {
  const { window: given, ...rest } = options;
  const window = given ?? spanOf(points, scrape);
  const settings: Settings = { ...DRIFT_DEFAULTS, ...rest, window, edgeSec: (window.toSec - window.fromSec) * (rest.edgeFraction ?? DRIFT_DEFAULTS.edgeFraction) };
  const hold = points.filter((p) => p.t >= window.fromSec && p.t <= window.toSec);
  const inputs: MetricInput[] = [
    { metric: 'frame.p50', label: 'p50 frame latency', unit: 'ms', pairs: harnessPairs(hold, 'p50') },
    { metric: 'frame.p99', label: 'p99 frame latency', unit: 'ms', pairs: harnessPairs(hold, 'p99') },
    { metric: 'framesPerSec', label: 'frames/s', unit: 'frames/s', pairs: harnessPairs(hold, 'framesPerSec') },
    { metric: 'connections', label: 'open connections', unit: 'connections', pairs: harnessPairs(hold, 'connections') },
    ...scrape.flatMap((r) => scrapeInputs(r, settings.maxSeriesPerRole)),
  ];
  const metrics = inputs.map((input) => analyzeMetric(input, settings));
  const minutes = (window.toSec - window.fromSec) / 60;
  const reconnects = hold.reduce((n, p) => n + (p.reconnects ?? 0), 0);
  const conns = hold.map((p) => p.connections);
  const verdicts = new Set(metrics.map((m) => m.verdict));
  return {
    window,
    edgeSec: settings.edgeSec,
    verdict: verdicts.has('drifting') ? 'drifting' : verdicts.has('stable') ? 'stable' : verdicts.has('not-measured') ? 'not-measured' : 'insufficient-data',
    metrics,
    churn: {
      reconnects,
      reconnectsPerMin: minutes > 0 ? reconnects / minutes : 0,
      connectionsMin: conns.length ? conns.reduce((a, b) => Math.min(a, b)) : 0,
      connectionsMax: conns.length ? conns.reduce((a, b) => Math.max(a, b)) : 0,
    },
    windows: bucketHoldPoints(hold, settings.maxBuckets),
  };
}
