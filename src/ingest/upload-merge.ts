// Exact merging of upload snapshots from camera worker processes running side by side: counters
// and the accounting added (so sent = covered + dropped + lost still holds), histograms merged
// through HDR, windows slot by slot (the lag percentiles of a slot from its merged histogram).
import { mergeErrorKinds } from '../metrics/error-kinds.js';
import type { IngestAccounting, IngestPoint } from '../results/ingest.js';
import { mergeSummaries } from '../metrics/merge.js';
import type { TimeseriesPoint } from '../results/types.js';
import { alignSeries, slotOf } from '../metrics/slots.js';
import { inValueUnits } from './ingest-windows.js';
import type { UploadSnapshot } from './upload-collector.js';

const sum = <T>(items: readonly T[], f: (t: T) => number): number => items.reduce((n, t) => n + f(t), 0);
const r1 = (x: number): number => Math.round(x * 10) / 10;

export function mergeAccounting(parts: readonly IngestAccounting[]): IngestAccounting {
  const a: IngestAccounting = {
    due: sum(parts, (p) => p.due),
    sent: sum(parts, (p) => p.sent),
    unsent: sum(parts, (p) => p.unsent),
    covered: sum(parts, (p) => p.covered),
    dropped: sum(parts, (p) => p.dropped),
    droppedByReason: mergeErrorKinds(parts.map((p) => p.droppedByReason)),
    lost: sum(parts, (p) => p.lost),
    duplicates: sum(parts, (p) => p.duplicates),
    balanced: false,
  };
  a.balanced = a.sent === a.covered + a.dropped + a.lost;
  return a;
}

/** The per-second ingest windows of several processes → one per slot; lag p50/p99 from the merged `timeseries` slot when known. */
export function mergeIngestSeries(sources: readonly (readonly IngestPoint[])[], merged: readonly TimeseriesPoint[]): IngestPoint[] {
  const bySlot = new Map<number, IngestPoint[]>();
  for (const points of sources) {
    for (const p of points) {
      const slot = slotOf(p.t, 1);
      const list = bySlot.get(slot);
      if (list) list.push(p);
      else bySlot.set(slot, [p]);
    }
  }
  const lagOf = new Map(merged.map((p) => [slotOf(p.t, 1), p]));
  return [...bySlot.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([slot, ps]) => {
      const std = lagOf.get(slot);
      const max = (f: (p: IngestPoint) => number): number => Math.max(0, ...ps.map(f));
      const out: IngestPoint = {
        t: slot,
        sentPerSec: r1(sum(ps, (p) => p.sentPerSec)),
        answersPerSec: r1(sum(ps, (p) => p.answersPerSec)),
        coveredPerSec: r1(sum(ps, (p) => p.coveredPerSec)),
        dropped: sum(ps, (p) => p.dropped),
        lost: sum(ps, (p) => p.lost),
        lagP50: std ? std.p50 : max((p) => p.lagP50),
        lagP99: std ? std.p99 : max((p) => p.lagP99),
        latenessP99: max((p) => p.latenessP99),
        bytesPerSec: Math.round(sum(ps, (p) => p.bytesPerSec)),
        connections: sum(ps, (p) => p.connections),
      };
      const server = ps.find((p) => p.bufferDepth !== undefined || p.api429 !== undefined);
      if (server) for (const k of ['bufferDepth', 'inflight', 'api429', 'retries', 'serverDropped'] as const) if (server[k] !== undefined) out[k] = server[k];
      return out;
    });
}

export function mergeUploadSnapshots(snaps: readonly UploadSnapshot[]): UploadSnapshot {
  const first = snaps[0];
  if (!first) throw new Error('mergeUploadSnapshots needs at least one snapshot');
  if (snaps.length === 1) return first;
  const lat = (k: keyof UploadSnapshot['latencyMs']) => mergeSummaries(snaps.map((s) => s.latencyMs[k]));
  const timeseries = alignSeries(snaps.map((s) => s.timeseries));
  return {
    accounting: mergeAccounting(snaps.map((s) => s.accounting)),
    answers: sum(snaps, (s) => s.answers),
    acks: sum(snaps, (s) => s.acks),
    bytesSent: sum(snaps, (s) => s.bytesSent),
    messagesText: sum(snaps, (s) => s.messagesText),
    messagesBinary: sum(snaps, (s) => s.messagesBinary),
    connects: sum(snaps, (s) => s.connects),
    connectFailures: sum(snaps, (s) => s.connectFailures),
    reconnects: sum(snaps, (s) => s.reconnects),
    errors: sum(snaps, (s) => s.errors),
    errorsByKind: mergeErrorKinds(snaps.map((s) => s.errorsByKind)),
    serverErrors: mergeErrorKinds(snaps.map((s) => s.serverErrors)),
    latencyMs: { answerLag: lat('answerLag'), sendLateness: lat('sendLateness'), ack: lat('ack'), modelApi: lat('modelApi'), connect: lat('connect'), firstAnswer: lat('firstAnswer') },
    batchSize: inValueUnits(mergeSummaries(snaps.map((s) => s.batchSize))),
    contextChars: inValueUnits(mergeSummaries(snaps.map((s) => s.contextChars))),
    timeseries,
    ingestSeries: mergeIngestSeries(
      snaps.map((s) => s.ingestSeries),
      timeseries,
    ),
    events: snaps.flatMap((s) => s.events).sort((a, b) => a.t - b.t),
    measuredSec: Math.max(...snaps.map((s) => s.measuredSec)),
  };
}
