// Plain-value distributions (batch sizes, context characters) kept in HDR histograms, and the
// roll-up that keeps an upload cell's per-second series bounded on long runs.
import { recordUs, summarize, type Histogram } from '../metrics/hdr.js';
import type { LatencySummary } from '../results/types.js';
import type { IngestPoint } from '../results/ingest.js';

/** Records a plain value (a count, characters) as is: integers below 2048 are exact in the HDR buckets. */
export function recordValue(h: Histogram, value: number): void {
  recordUs(h, Math.round(value));
}

/** Summary of a histogram of plain values, in the values' own unit (summarize reads µs as ms ÷ 1000). */
export function valueSummary(h: Histogram): LatencySummary {
  return inValueUnits(summarize(h));
}

/** A summary read from a plain-value histogram (e.g. after an HDR merge) put back in the values' unit. */
export function inValueUnits(s: LatencySummary): LatencySummary {
  const k = (x: number): number => Math.round(x * 1000 * 1000) / 1000;
  return { ...s, min: k(s.min), mean: k(s.mean), p50: k(s.p50), p90: k(s.p90), p95: k(s.p95), p99: k(s.p99), p999: k(s.p999), max: k(s.max) };
}

/**
 * Pairs of consecutive windows merged into one (bounded memory on long runs): rates averaged, counts
 * summed, lag percentiles the worse of the two (the per-window histograms live in `timeseries`).
 */
export function rollUpIngest(points: readonly IngestPoint[]): IngestPoint[] {
  const out: IngestPoint[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1];
    if (!b) {
      out.push(a);
      continue;
    }
    const avg = (x: number, y: number): number => Math.round(((x + y) / 2) * 10) / 10;
    const add = (x?: number, y?: number): number | undefined => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
    out.push({
      t: b.t,
      sentPerSec: avg(a.sentPerSec, b.sentPerSec),
      answersPerSec: avg(a.answersPerSec, b.answersPerSec),
      coveredPerSec: avg(a.coveredPerSec, b.coveredPerSec),
      dropped: a.dropped + b.dropped,
      lost: a.lost + b.lost,
      lagP50: Math.max(a.lagP50, b.lagP50),
      lagP99: Math.max(a.lagP99, b.lagP99),
      latenessP99: Math.max(a.latenessP99, b.latenessP99),
      bytesPerSec: Math.round((a.bytesPerSec + b.bytesPerSec) / 2),
      connections: b.connections,
      ...(b.bufferDepth !== undefined ? { bufferDepth: b.bufferDepth } : {}),
      ...(b.inflight !== undefined ? { inflight: b.inflight } : {}),
      ...(add(a.api429, b.api429) !== undefined ? { api429: add(a.api429, b.api429) } : {}),
      ...(add(a.retries, b.retries) !== undefined ? { retries: add(a.retries, b.retries) } : {}),
      ...(add(a.serverDropped, b.serverDropped) !== undefined ? { serverDropped: add(a.serverDropped, b.serverDropped) } : {}),
    });
  }
  return out;
}
