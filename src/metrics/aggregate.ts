// Aggregates the repeated runs of one cell into a single cell: counts summed, histograms merged
// exactly, throughput weighted by measured time, time series laid end to end.
import { chaosSummary } from './chaos-impact.js';
import { mergeMeasurements } from './merge.js';
import type { CellResult } from '../results/types.js';

function sumBy<T>(items: T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}

export function aggregateRepeats(runs: CellResult[]): CellResult {
  const first = runs[0];
  if (!first) throw new Error('aggregateRepeats needs at least one run');
  if (runs.length === 1) return { ...first, repeat: undefined };
  const sec = sumBy(runs, (r) => r.durationSec);
  const frames = sumBy(runs, (r) => r.throughput.framesPerSec * r.durationSec);
  const bytes = sumBy(runs, (r) => r.throughput.bytesPerSec * r.durationSec);
  let offset = 0;
  const timeseries: CellResult['timeseries'] = [];
  const events: CellResult['events'] = [];
  for (const r of runs) {
    for (const p of r.timeseries) timeseries.push({ ...p, t: Math.round((p.t + offset) * 1000) / 1000 });
    for (const e of r.events) events.push({ ...e, t: Math.round((e.t + offset) * 1000) / 1000 });
    events.push({ t: Math.round((offset + r.durationSec) * 1000) / 1000, kind: 'repeat-end', detail: `repeat ${(r.repeat ?? 0) + 1} of ${runs.length} ended` });
    offset += r.durationSec;
  }
  const chaos = chaosSummary(events, timeseries);
  return {
    id: first.id,
    params: first.params,
    startedAt: first.startedAt,
    endedAt: runs[runs.length - 1]!.endedAt,
    ...(first.measureStartedAt ? { measureStartedAt: first.measureStartedAt } : {}),
    durationSec: Math.round(sec * 1000) / 1000,
    ...mergeMeasurements(runs),
    throughput: {
      framesPerSec: sec > 0 ? Math.round((frames / sec) * 10) / 10 : 0,
      bytesPerSec: sec > 0 ? Math.round(bytes / sec) : 0,
      bytesPerFrame: frames > 0 ? Math.round(bytes / frames) : 0,
      ...(runs.some((r) => r.throughput.payloadBytesPerFrame !== undefined)
        ? { payloadBytesPerFrame: frames > 0 ? Math.round(sumBy(runs, (r) => (r.throughput.payloadBytesPerFrame ?? 0) * r.throughput.framesPerSec * r.durationSec) / frames) : 0 }
        : {}),
    },
    ...(first.protocol ? { protocol: first.protocol } : {}),
    clock: first.clock,
    timeseries,
    events,
    ...(chaos ? { chaos } : {}),
    ...harnessOf(runs),
    thresholds: [],
    repeats: runs,
  };
}

/** The harness over all repeats: worst figures, every paused window (on the end-to-end time axis), saturated when any repeat was. */
function harnessOf(runs: CellResult[]): Pick<CellResult, 'harness' | 'harnessSaturated'> {
  const hs = runs.map((r) => r.harness);
  if (!hs.some(Boolean)) return {};
  const max = (f: (h: NonNullable<CellResult['harness']>) => number | undefined): number => Math.max(0, ...hs.map((h) => (h ? (f(h) ?? 0) : 0)));
  const pausedWindows = runs.flatMap((r) => r.timeseries).filter((p) => p.harnessAffected);
  let offset = 0;
  const windows: number[] = [];
  for (const r of runs) {
    for (const t of r.harness?.pausedWindows ?? []) windows.push(Math.round((t + offset) * 1000) / 1000);
    offset += r.durationSec;
  }
  const reasons = runs.filter((r) => r.harness?.reason).map((r) => `repeat ${(r.repeat ?? 0) + 1}: ${r.harness?.reason}`);
  const harness: NonNullable<CellResult['harness']> = {
    workers: max((h) => h.workers),
    maxCpuPct: max((h) => h.maxCpuPct),
    maxLoopDelayMs: max((h) => h.maxLoopDelayMs),
    saturated: hs.some((h) => h?.saturated),
    ...(reasons.length ? { reason: reasons.join(' · ') } : {}),
  };
  if (hs.some((h) => h?.pauseBoundMs !== undefined)) {
    Object.assign(harness, { maxStallMs: max((h) => h.maxStallMs), pauseBoundMs: max((h) => h.pauseBoundMs), pausedWindows: windows, latencyAffected: pausedWindows.length > 0 || windows.length > 0 });
  }
  return { harness, ...(runs.some((r) => r.harnessSaturated) ? { harnessSaturated: true } : {}) };
}
