// Percentile spectrum points (HdrHistogram style) from an encoded histogram: x = 1/(1 − percentile),
// drawn on a log axis labelled 50%, 90%, 99%, 99.9%…, y = latency in ms.
import { percentileSpectrum } from '../metrics/hdr.js';

export interface SpectrumPoint {
  x: number;
  y: number;
}

/** Spectrum points for one encoded histogram; the 100% point is placed one step past the last finite one. */
export function spectrumPoints(hdrBase64: string, count: number): SpectrumPoint[] {
  if (!hdrBase64) return [];
  let raw: Array<{ percentile: number; ms: number }>;
  try {
    raw = percentileSpectrum(hdrBase64);
  } catch {
    return [];
  }
  const points: SpectrumPoint[] = [];
  let maxMs = 0;
  for (const { percentile, ms } of raw) {
    maxMs = Math.max(maxMs, ms);
    if (percentile >= 100) continue;
    const x = 1 / (1 - percentile / 100);
    const last = points[points.length - 1];
    if (last && x <= last.x) {
      last.y = Math.max(last.y, ms);
      continue;
    }
    points.push({ x: Number(x.toPrecision(6)), y: ms });
  }
  const last = points[points.length - 1];
  if (last && maxMs > last.y) points.push({ x: Number(Math.max(last.x * 1.5, count).toPrecision(6)), y: maxMs });
  return points;
}
