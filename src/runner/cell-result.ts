// Turns a finished cell's collector into the CellResult of the results contract.
import type { ClockEstimate } from '../client/clock-sync.js';
import type { CollectorSnapshot } from '../metrics/collector.js';
import type { CellResult } from '../results/types.js';
import type { CellPlan } from '../scenario/sweep.js';

export interface CellTiming {
  startedAt: Date;
  endedAt: Date;
}

export function toCellResult(plan: CellPlan, snap: CollectorSnapshot, clock: ClockEstimate & { applied: boolean }, timing: CellTiming): CellResult {
  const sec = snap.measuredSec;
  const c = snap.counts;
  const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    id: plan.id,
    params: { ...plan.params },
    ...(plan.repeat > 0 ? { repeat: plan.repeat } : {}),
    startedAt: timing.startedAt.toISOString(),
    endedAt: timing.endedAt.toISOString(),
    durationSec: round(sec, 3),
    counts: c,
    errorsByKind: snap.errorsByKind,
    latencyMs: snap.latencyMs,
    throughput: {
      framesPerSec: sec > 0 ? round(snap.window.frames / sec) : 0,
      bytesPerSec: sec > 0 ? Math.round(snap.window.bytes / sec) : 0,
      bytesPerFrame: snap.window.frames > 0 ? Math.round(snap.window.bytes / snap.window.frames) : 0,
      ...(snap.payloadBytes !== undefined ? { payloadBytesPerFrame: snap.window.frames > 0 ? Math.round(snap.payloadBytes / snap.window.frames) : 0 } : {}),
    },
    ...(c.clientCpuUs !== undefined && snap.window.frames > 0 ? { cpu: { clientMsPerFrame: round(c.clientCpuUs / 1000 / snap.window.frames, 4) } } : {}),
    ...(c.httpRequests && c.framesReceived > 0 ? { requestsPerFrame: round(c.httpRequests / c.framesReceived, 3) } : {}),
    ...(snap.streams ? { streams: snap.streams } : {}),
    playback: snap.playback,
    clock: {
      offsetMs: round(clock.offsetUs / 1000, 3),
      uncertaintyMs: round(clock.uncertaintyUs / 1000, 3),
      samples: clock.samples,
      applied: clock.applied,
    },
    // Live ticks carry each window's lateness histogram; results keep only the totals.
    timeseries: snap.timeseries.map(({ latenessHdr: _live, ...kept }) => kept),
    events: snap.events,
    thresholds: [],
  };
}
