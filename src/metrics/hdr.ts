// The one HDR histogram module: fixed parameters, values recorded in µs, summaries in ms,
// compressed-base64 encode/decode so histograms from windows, workers and shards merge exactly.
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../results/types.js';

export type Histogram = hdr.Histogram;

/** Largest recordable value: one hour in µs. Larger values are clamped. */
export const HDR_MAX_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HDR_MAX_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records a value in µs, clamped to [0, HDR_MAX_US]. */
export function recordUs(h: Histogram, us: number): void {
  if (us < 0) us = 0;
  else if (us > HDR_MAX_US) us = HDR_MAX_US;
  h.recordValue(us);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(base64, 32, false);
  const h = createHistogram();
  h.add(decoded);
  decoded.destroy();
  return h;
}

export function mergeHistograms(parts: Iterable<Histogram>): Histogram {
  const out = createHistogram();
  for (const p of parts) out.add(p);
  return out;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const ms = (us: number): number => round3(us / 1000);

/** Percentiles in ms; max is the top of the highest bucket, so merged and direct recordings agree exactly. */
export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) {
    return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, hdr: encodeHistogram(h) };
  }
  return {
    count: h.totalCount,
    min: ms(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.getValueAtPercentile(100)),
    hdr: encodeHistogram(h),
  };
}

/**
 * Percentile spectrum (percentile → ms) for plotting on a log "1/(1-p)" axis, from an encoded histogram:
 * `stepsPerDecade` points per factor of ten in 1/(1-p), up to the last recorded value.
 */
export function percentileSpectrum(base64: string, stepsPerDecade = 5): Array<{ percentile: number; ms: number }> {
  const h = decodeHistogram(base64);
  const out: Array<{ percentile: number; ms: number }> = [];
  if (h.totalCount > 0) {
    const maxDecades = Math.max(1, Math.ceil(Math.log10(h.totalCount)));
    for (let k = 0; k <= maxDecades * stepsPerDecade; k++) {
      const p = 100 * (1 - 10 ** (-k / stepsPerDecade));
      out.push({ percentile: round3(p), ms: ms(h.getValueAtPercentile(p)) });
    }
    out.push({ percentile: 100, ms: ms(h.maxValue) });
  }
  h.destroy();
  return out;
}
