// Per-fault impact from the per-second time series: the frames/s level before the fault, how long
// until it was back to 95 % of it (the end of the first whole window after the fault at that level,
// so the resolution is one window), and the frames lost on the way. A fault on a zero baseline (no
// frames/s before it) has nothing to recover to: it is "not measured", neither recovered nor not.
// Pure: tested without sockets.
import type { ChaosSummary, FaultImpact, RunEvent, TimeseriesPoint } from '../results/types.js';
import { CHAOS_KINDS } from '../chaos/schema.js';

const FAULT_KINDS = new Set<string>(CHAOS_KINDS);
const BASELINE_WINDOWS = 3;
const RECOVERED = 0.95;

/**
 * Frames lost are attributed to the latest fault before them (from the fault until the next
 * one), so loss per kind adds up to at most the cell's loss, never counting a frame twice.
 */
export function faultImpacts(events: readonly RunEvent[], series: readonly TimeseriesPoint[]): FaultImpact[] {
  const faults = events.filter((e) => FAULT_KINDS.has(e.kind));
  return faults.map((e, i) => impactOf(e, series, faults[i + 1]?.t ?? Number.POSITIVE_INFINITY));
}

function impactOf(e: RunEvent, series: readonly TimeseriesPoint[], nextFaultT: number): FaultImpact {
  const before = series.filter((p) => p.t <= e.t).slice(-BASELINE_WINDOWS);
  const baselineFps = before.length ? before.reduce((n, p) => n + p.framesPerSec, 0) / before.length : 0;
  const after = series.filter((p) => p.t > e.t);
  const framesLost = after.filter((p) => p.t - (p.durationSec ?? 1) < nextFaultT).reduce((n, p) => n + (p.lost ?? 0), 0);
  const base = { t: e.t, kind: e.kind, hit: e.hit ?? null, baselineFps: Math.round(baselineFps * 10) / 10 };
  if (!(baselineFps > 0)) return { ...base, recoverSec: null, notMeasured: true, framesLost };
  const recovered = after.find((p) => p.t - (p.durationSec ?? 1) >= e.t - 0.001 && p.framesPerSec >= baselineFps * RECOVERED);
  const recoverSec = recovered ? Math.max(0, Math.round((recovered.t - e.t) * 1000) / 1000) : null;
  return { ...base, recoverSec, framesLost };
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export function chaosSummary(events: readonly RunEvent[], series: readonly TimeseriesPoint[]): ChaosSummary | undefined {
  const faults = faultImpacts(events, series);
  if (!faults.length) return undefined;
  const lossByKind: Record<string, number> = {};
  for (const f of faults) lossByKind[f.kind] = (lossByKind[f.kind] ?? 0) + f.framesLost;
  const judged = faults.filter((f) => !f.notMeasured);
  const rec = judged
    .map((f) => f.recoverSec)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const notMeasured = faults.length - judged.length;
  return {
    faults,
    lossByKind,
    recoverSec: { p50: percentile(rec, 50), p99: percentile(rec, 99), max: rec.length ? rec[rec.length - 1]! : null },
    unrecovered: judged.length - rec.length,
    ...(notMeasured > 0 ? { notMeasured } : {}),
  };
}
