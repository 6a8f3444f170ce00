// Pure pacing model of a synthetic generator: time to first frame as a normal distribution
// ("800ms ± 200ms"), per-frame generation time with uniform jitter, and slow workers.
import { parseDuration } from '../text/duration.js';
import type { Rng } from '../random.js';

export interface PaceModel {
  firstFrameMeanMs: number;
  firstFrameSdMs: number;
  /** Per-frame generation time; undefined paces at the request's fps. */
  perFrameMs: number | undefined;
  /** Uniform extra time in [0, jitterMs] per frame. */
  jitterMs: number;
  /** Share of workers that are slow (decided once per worker from its seed). */
  slowFraction: number;
  /** A slow worker's per-frame time is multiplied by this. */
  slowFactor: number;
}

export const PACE_DEFAULTS: PaceModel = {
  firstFrameMeanMs: 800,
  firstFrameSdMs: 200,
  perFrameMs: undefined,
  jitterMs: 0,
  slowFraction: 0,
  slowFactor: 3,
};

export const DISTRIBUTION_HELP = 'a duration with an optional spread, such as "800ms ± 200ms", "800ms+-200ms" or "1s"';

/** Parses "800ms ± 200ms" (also "+-" or "±" without spaces) into a mean and a standard deviation, ms. */
export function parseDistribution(text: string): { meanMs: number; sdMs: number } | undefined {
  const parts = text.split(/±|\+-|\+\/-/);
  if (parts.length > 2) return undefined;
  const meanMs = parseDuration(parts[0]!.trim());
  const sdMs = parts.length === 2 ? parseDuration(parts[1]!.trim()) : 0;
  if (meanMs === undefined || sdMs === undefined) return undefined;
  return { meanMs, sdMs };
}

/** A standard normal draw (Box–Muller) from two uniform draws. */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Time to first frame of one generation, ms, never negative. */
export function firstFrameDelayMs(m: PaceModel, rng: Rng): number {
  return Math.max(0, m.firstFrameMeanMs + m.firstFrameSdMs * gaussian(rng));
}

/** Time from one frame to the next, ms: perFrame (or 1000/fps), times slowFactor on a slow worker, plus jitter. */
export function frameIntervalMs(m: PaceModel, fps: number, slowFactor: number, rng: Rng): number {
  const base = m.perFrameMs ?? 1000 / fps;
  return base * slowFactor + (m.jitterMs > 0 ? m.jitterMs * rng() : 0);
}

/** Whether a worker is slow: one draw against slowFraction. */
export function isSlowWorker(m: PaceModel, rng: Rng): boolean {
  return m.slowFraction > 0 && rng() < m.slowFraction;
}
