// The `soak` block of results.json: scraped Prometheus series, the hold-phase drift report and
// the drift thresholds.
import type { ThresholdResult } from './threshold.js';

/** One scraped series; t is when the scrape was sent, in seconds since the scraper's t0 (the run's time origin). */
export interface ScrapeSeries {
  name: string;
  labels: Record<string, string>;
  points: Array<[tSec: number, value: number]>;
}

export interface ScrapeResult {
  /** The scraped URL with credentials and secret-looking query values redacted. */
  url: string;
  series: ScrapeSeries[];
  /** Failed scrapes (network, timeout, non-2xx). */
  errors: number;
  /** Redacted message of the latest failure. */
  lastError?: string;
  /** Successful scrapes. */
  scrapes?: number;
  /** Series seen but not kept because the per-URL series cap was reached. */
  droppedSeries?: number;
}

/** A hold-phase window (one TimeseriesPoint of the harness, or a bucket of them). */
export interface HoldPoint {
  t: number;
  framesPerSec: number;
  p50: number;
  p99: number;
  connections: number;
  reconnects?: number;
}

/** not-measured: a zero baseline (0 at the start of the hold and in its median): no change to judge. */
export type DriftVerdict = 'stable' | 'drifting' | 'insufficient-data' | 'not-measured';

export type DriftMetricName = 'frame.p50' | 'frame.p99' | 'framesPerSec' | 'connections' | 'target.memory' | 'target.connections' | 'target.eventLoopLag' | `series.${string}`;

export interface DriftMetric {
  metric: DriftMetricName;
  /** Human name used in sentences, e.g. "p99 frame latency". */
  label: string;
  /** Unit of first/last/trend: ms, frames/s, connections, MB, or the scraped series' own unit. */
  unit: string;
  /** For scraped metrics: redacted URL and series (name{labels}) the values come from. */
  source?: string;
  /** Median over the first 10 % of the hold window. */
  first: number;
  /** Median over the last 10 % of the hold window. */
  last: number;
  /** (last − first) / |first| × 100 (relative to the hold's median when first is 0; 0 when all are 0). */
  changePct: number;
  /** Theil–Sen slope in unit per hour. */
  slopePerHour: number;
  /** Theil–Sen line: value ≈ intercept + slope × tSec (slope in unit per second). */
  trend: { intercept: number; slope: number };
  /** Mann–Kendall z score of the trend (|z| ≥ 1.96: a monotonic trend at 5 %). */
  trendZ: number;
  points: number;
  verdict: DriftVerdict;
  sentence: string;
}

export interface DriftReport {
  window: { fromSec: number; toSec: number };
  /** Length of the "first / last 10 %" comparison windows, seconds. */
  edgeSec: number;
  verdict: DriftVerdict;
  metrics: DriftMetric[];
  churn: { reconnects: number; reconnectsPerMin: number; connectionsMin: number; connectionsMax: number };
  /** The hold-phase windows, bucketed to at most a few hundred points, for charts. */
  windows: HoldPoint[];
}

/** Same shape as a cell's threshold result (status pass / fail / not_measured / skipped). */
export type DriftThresholdResult = ThresholdResult;

export interface SoakResults {
  peak?: number;
  multiplier?: number;
  stages: Array<{ duration: string; target: number }>;
  holdWindow?: { fromSec: number; toSec: number };
  scrape: ScrapeResult[];
  drift?: DriftReport;
  driftThresholds?: DriftThresholdResult[];
}
