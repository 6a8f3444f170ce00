// Time-series windows: exact merging of consecutive windows (roll-up, keeping long runs bounded)
// and of simultaneous windows from several workers. Each window carries its latency histogram.
import { decodeHistogram, encodeHistogram, mergeHistograms, type Histogram } from './hdr.js';
import type { TimeseriesPoint } from '../results/types.js';

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function mergedHdr(points: readonly TimeseriesPoint[]): { hdr?: string; p50: number; p99: number } {
  const parts: Histogram[] = points.filter((p) => p.hdr).map((p) => decodeHistogram(p.hdr as string));
  if (!parts.length) return { p50: Math.max(...points.map((p) => p.p50)), p99: Math.max(...points.map((p) => p.p99)) };
  const h = mergeHistograms(parts);
  const out = {
    hdr: encodeHistogram(h),
    p50: h.totalCount ? r3(h.getValueAtPercentile(50) / 1000) : 0,
    p99: h.totalCount ? r3(h.getValueAtPercentile(99) / 1000) : 0,
  };
  for (const x of [...parts, h]) x.destroy();
  return out;
}

const sum = (points: readonly TimeseriesPoint[], f: (p: TimeseriesPoint) => number | undefined): number => points.reduce((n, p) => n + (f(p) ?? 0), 0);

/** The harness's figures over windows merged into one: worst of each, flags kept. */
function harnessOf(points: readonly TimeseriesPoint[]): Partial<TimeseriesPoint> {
  const out: Partial<TimeseriesPoint> = {};
  for (const key of ['harnessCpuPct', 'loopDelayP99Ms', 'loopStallMs'] as const) {
    const vs = points.map((p) => p[key]).filter((v): v is number => v !== undefined);
    if (vs.length) out[key] = Math.max(...vs);
  }
  if (points.some((p) => p.harnessAffected)) out.harnessAffected = true;
  if (points.some((p) => p.spanned)) out.spanned = true;
  return out;
}

/** Consecutive windows → one window spanning them all. */
export function mergeConsecutive(points: readonly TimeseriesPoint[]): TimeseriesPoint {
  const last = points[points.length - 1];
  if (!last) throw new Error('mergeConsecutive needs at least one window');
  if (points.length === 1) return last;
  const dur = sum(points, (p) => p.durationSec ?? 1);
  return {
    t: last.t,
    durationSec: r3(dur),
    framesPerSec: r1(sum(points, (p) => p.framesPerSec * (p.durationSec ?? 1)) / dur),
    bytesPerSec: Math.round(sum(points, (p) => p.bytesPerSec * (p.durationSec ?? 1)) / dur),
    ...mergedHdr(points),
    connections: last.connections,
    errors: sum(points, (p) => p.errors),
    lost: sum(points, (p) => p.lost),
    reconnects: sum(points, (p) => p.reconnects),
    ...harnessOf(points),
  };
}

/** The same window as seen by several workers → the whole harness's window. */
export function mergeSimultaneous(points: readonly TimeseriesPoint[]): TimeseriesPoint {
  const first = points[0];
  if (!first) throw new Error('mergeSimultaneous needs at least one window');
  if (points.length === 1) return first;
  return {
    t: Math.max(...points.map((p) => p.t)),
    durationSec: first.durationSec,
    framesPerSec: r1(sum(points, (p) => p.framesPerSec)),
    bytesPerSec: Math.round(sum(points, (p) => p.bytesPerSec)),
    ...mergedHdr(points),
    connections: sum(points, (p) => p.connections),
    errors: sum(points, (p) => p.errors),
    lost: sum(points, (p) => p.lost),
    reconnects: sum(points, (p) => p.reconnects),
  };
}

/** Halves the resolution (pairs of windows merged) until at most `max` windows remain. */
export function rollUp(points: TimeseriesPoint[], max: number): TimeseriesPoint[] {
  let out = points;
  while (out.length > max) {
    const next: TimeseriesPoint[] = [];
    for (let i = 0; i < out.length; i += 2) next.push(mergeConsecutive(out.slice(i, i + 2)));
    out = next;
  }
  return out;
}
