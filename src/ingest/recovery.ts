// How answer lag and the server buffer recover after each fault of an upload cell, from its
// per-second ingest series: the level before the fault, the peak, and the seconds after the fault
// ended until the level was back (and stayed back for `hold` windows); the peak is taken up to the
// next fault.
import type { IngestPoint, IngestRecovery } from '../results/ingest.js';
import type { RunEvent } from '../results/types.js';
import { median as medianOf } from '../metrics/median.js';

const FAULTS = new Set(['model-api', 'restart-server', 'kill-clients', 'drop-connections', 'network']);

/** The median, 0 for no values (a level that was never measured). */
const median = (xs: number[]): number => (xs.length === 0 ? 0 : medianOf(xs));

/** First t (s after `from`) from which `ok` holds for `hold` windows in a row (or to the end); null if never. */
function backAfter(points: IngestPoint[], from: number, ok: (p: IngestPoint) => boolean, hold: number): number | null {
  const after = points.filter((p) => p.t >= from);
  for (let i = 0; i < after.length; i++) {
    const run = after.slice(i, i + hold);
    if (run.length > 0 && run.every(ok) && (run.length === hold || i + run.length === after.length)) return Math.max(0, Math.round((after[i]!.t - from) * 10) / 10);
  }
  return null;
}

export function ingestRecovery(events: readonly RunEvent[], points: readonly IngestPoint[], opts: { baselineSec?: number; hold?: number } = {}): IngestRecovery[] {
  const baselineSec = opts.baselineSec ?? 10;
  const hold = opts.hold ?? 3;
  const pts = [...points].sort((a, b) => a.t - b.t);
  const faults = events.filter((e) => FAULTS.has(e.kind));
  return faults.map((e, i) => {
    const nextAt = faults.slice(i + 1).find((f) => f.t > e.t)?.t ?? Infinity;
    const end = e.endsAt ?? e.t;
    const before = pts.filter((p) => p.t < e.t && p.t >= e.t - baselineSec);
    const lagBefore = median(before.filter((p) => p.answersPerSec > 0).map((p) => p.lagP99));
    const withBuffer = before.filter((p) => p.bufferDepth !== undefined).map((p) => p.bufferDepth!);
    const bufferBefore = withBuffer.length > 0 ? median(withBuffer) : null;
    const during = pts.filter((p) => p.t >= e.t && p.t < nextAt);
    const lagLimit = Math.max(lagBefore * 1.5, lagBefore + 500);
    const lagRecoverSec = before.length === 0 ? null : backAfter(pts, end, (p) => p.answersPerSec > 0 && p.lagP99 <= lagLimit, hold);
    const bufferLimit = bufferBefore === null ? 0 : Math.max(bufferBefore * 1.5, bufferBefore + Math.max(1, before[before.length - 1]?.connections ?? 1));
    const bufferRecoverSec = bufferBefore === null ? null : backAfter(pts, end, (p) => p.bufferDepth !== undefined && p.bufferDepth <= bufferLimit, hold);
    const peaks = during.map((p) => p.lagP99);
    const bufPeaks = during.filter((p) => p.bufferDepth !== undefined).map((p) => p.bufferDepth!);
    return {
      t: e.t,
      kind: e.kind,
      lagRecoverSec,
      bufferRecoverSec,
      lagBeforeMs: lagBefore,
      lagPeakMs: peaks.length ? Math.max(...peaks) : 0,
      bufferBefore,
      bufferPeak: bufPeaks.length ? Math.max(...bufPeaks) : null,
    };
  });
}
