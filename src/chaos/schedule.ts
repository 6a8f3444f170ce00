// Pure fault scheduling: expands `chaos:` entries into firing times, and seeded choices of which clients or connections to hit.
import type { Rng } from '../random.js';
import { parseDuration } from '../text/duration.js';
import { parseBandwidth } from './bandwidth.js';
import type { ChaosEntry, NetworkEntry } from './schema.js';

export type { Rng } from '../random.js';
export { mulberry32 } from '../random.js';

export interface PlannedFault {
  /** Firing time, ms from the start of the measured window. */
  atMs: number;
  /** End of the window (network entries only), bounded by the measured window. */
  endMs?: number;
  entry: ChaosEntry;
  /** Position of the entry in the `chaos:` list. */
  entryIndex: number;
  /** 0 for the first firing of the entry, 1 for the second, … */
  firing: number;
  /** Seed of this firing's own random stream, derived from the scenario seed, the entry and the firing. */
  seed: number;
}

export interface PlanOptions {
  seed: number;
  /** Length of the measured window; no firing at or after it. */
  windowMs: number;
}

export interface NetworkFaults {
  latencyMs?: number;
  jitterMs?: number;
  bandwidthBytesPerSec?: number;
  blackhole?: boolean;
}

const ms = (d: string | number | undefined, fallback = 0): number => (d === undefined ? fallback : (parseDuration(d) ?? fallback));

export function planFaults(entries: readonly ChaosEntry[], { seed, windowMs }: PlanOptions): PlannedFault[] {
  const faults: PlannedFault[] = [];
  entries.forEach((entry, entryIndex) => {
    const everyMs = entry.every === undefined ? undefined : ms(entry.every);
    const firstMs = ms(entry.at, everyMs ?? 0);
    const maxTimes = entry.times ?? (everyMs === undefined ? 1 : Infinity);
    for (let firing = 0; firing < maxTimes; firing++) {
      const atMs = firstMs + firing * (everyMs ?? 0);
      if (atMs >= windowMs) break;
      const fault: PlannedFault = { atMs, entry, entryIndex, firing, seed: deriveSeed(seed, entryIndex, firing) };
      if (entry.kind === 'network' && hasWindow(entry)) fault.endMs = Math.min(windowMs, atMs + ms(entry.duration, Infinity));
      faults.push(fault);
      if (everyMs === undefined) break;
    }
  });
  return faults.sort((a, b) => a.atMs - b.atMs || a.entryIndex - b.entryIndex || a.firing - b.firing);
}

/** True when the entry changes the proxy for a while (anything but a bare reset). */
export function hasWindow(entry: NetworkEntry): boolean {
  return entry.latency !== undefined || entry.jitter !== undefined || entry.bandwidth !== undefined || entry.blackhole === true;
}

export function networkFaults(entry: NetworkEntry): NetworkFaults {
  const faults: NetworkFaults = {};
  if (entry.latency !== undefined) faults.latencyMs = ms(entry.latency);
  if (entry.jitter !== undefined) faults.jitterMs = ms(entry.jitter);
  if (entry.bandwidth !== undefined) faults.bandwidthBytesPerSec = parseBandwidth(entry.bandwidth);
  if (entry.blackhole) faults.blackhole = true;
  return faults;
}

/** Several windows at once: delays add up, the tightest bandwidth wins, any black hole holds. */
export function combineFaults(list: readonly NetworkFaults[]): NetworkFaults {
  const out: NetworkFaults = {};
  for (const f of list) {
    if (f.latencyMs !== undefined) out.latencyMs = (out.latencyMs ?? 0) + f.latencyMs;
    if (f.jitterMs !== undefined) out.jitterMs = (out.jitterMs ?? 0) + f.jitterMs;
    if (f.bandwidthBytesPerSec !== undefined) {
      out.bandwidthBytesPerSec = Math.min(out.bandwidthBytesPerSec ?? Infinity, f.bandwidthBytesPerSec);
    }
    if (f.blackhole) out.blackhole = true;
  }
  return out;
}

export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

export interface Amount {
  fraction?: number;
  count?: number;
}

/** How many of n to hit: count (at most n), or fraction × n rounded, at least one when the fraction is above zero. */
export function amountOf(n: number, { fraction, count }: Amount): number {
  if (n <= 0) return 0;
  if (count !== undefined) return Math.min(n, Math.max(0, Math.floor(count)));
  if (!fraction || fraction <= 0) return 0;
  return Math.min(n, Math.max(1, Math.round(n * fraction)));
}

/** Chooses which of n indices to hit (sorted), uniformly without repetition, reproducible from the rng. */
export function pickFraction(n: number, amount: Amount, rng: Rng): number[] {
  const k = amountOf(n, amount);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = tmp;
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}
