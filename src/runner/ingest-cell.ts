// Turns a finished upload cell into the CellResult of the results contract. The download-shaped
// fields read from the camera's side: frame latency is capture → answer, lateness is send lateness,
// expected = frames sent, received = frames answered for, lost = dropped by the server + lost in
// transit (so expected = received + lost holds). The `ingest` block keeps dropped and lost apart.
import { analyzeDrift } from '../soak/drift.js';
import { chaosSummary } from '../metrics/chaos-impact.js';
import { ingestRecovery } from '../ingest/recovery.js';
import type { UploadSnapshot } from '../ingest/upload-collector.js';
import { lossRatio } from '../metrics/collector.js';
import type { IngestCellResult, IngestModelApiView, IngestServerView } from '../results/ingest.js';
import type { CellResult } from '../results/types.js';
import type { CellPlan } from '../scenario/sweep.js';

export interface IngestCellInput {
  plan: CellPlan;
  snap: UploadSnapshot;
  settings: IngestCellResult['settings'];
  budgetBytesPerSec: number;
  server?: IngestServerView;
  modelApi?: IngestModelApiView;
  startedAt: Date;
  endedAt: Date;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

export function toIngestCellResult(input: IngestCellInput): CellResult {
  const { plan, snap } = input;
  const a = snap.accounting;
  const sec = snap.measuredSec;
  const clients = Math.max(1, plan.params.clients);
  const perClient = sec > 0 ? snap.bytesSent / sec / clients : 0;
  const recovery = ingestRecovery(snap.events, snap.ingestSeries);
  const drift = analyzeDrift(
    snap.ingestSeries.map((p) => ({ t: p.t, framesPerSec: p.answersPerSec, p50: p.lagP50, p99: p.lagP99, connections: p.connections })),
    [],
    { minPoints: 8 },
  ).metrics.find((m) => m.metric === 'frame.p99');
  const ingest: IngestCellResult = {
    direction: 'upload',
    settings: input.settings,
    accounting: a,
    answers: snap.answers,
    acks: snap.acks,
    latencyMs: { answerLag: snap.latencyMs.answerLag, sendLateness: snap.latencyMs.sendLateness, ack: snap.latencyMs.ack, modelApi: snap.latencyMs.modelApi },
    batchSize: snap.batchSize,
    contextChars: snap.contextChars,
    serverErrors: snap.serverErrors,
    bandwidth: { bytesPerSecPerClient: Math.round(perClient), budgetBytesPerSec: input.budgetBytesPerSec, budgetRatio: round(perClient / input.budgetBytesPerSec, 3) },
    timeseries: snap.ingestSeries,
    ...(input.server ? { server: input.server } : {}),
    ...(input.modelApi ? { modelApi: input.modelApi } : {}),
    ...(drift ? { lagDrift: { ...drift, label: 'p99 answer lag', sentence: drift.sentence.replace(/p99 frame latency/g, 'p99 answer lag') } } : {}),
    ...(recovery.length ? { recovery } : {}),
  };
  const lost = a.dropped + a.lost;
  const cell: CellResult = {
    id: plan.id,
    params: { ...plan.params, direction: 'upload' } as CellResult['params'],
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    durationSec: round(sec, 3),
    counts: {
      framesExpected: a.sent,
      framesReceived: a.covered,
      framesLost: lost,
      framesDuplicated: a.duplicates,
      bytesReceived: 0,
      requests: snap.answers,
      requestsCompleted: snap.answers,
      connects: snap.connects,
      connectFailures: snap.connectFailures,
      reconnects: snap.reconnects,
      errors: snap.errors,
      resumes: 0,
      lossRatio: lossRatio(lost, a.sent),
      messagesBinary: snap.messagesBinary,
      messagesText: snap.messagesText,
    },
    errorsByKind: snap.errorsByKind,
    latencyMs: { frame: snap.latencyMs.answerLag, lateness: snap.latencyMs.sendLateness, connect: snap.latencyMs.connect, firstFrame: snap.latencyMs.firstAnswer },
    throughput: {
      framesPerSec: sec > 0 ? round(a.covered / sec) : 0,
      bytesPerSec: sec > 0 ? Math.round(snap.bytesSent / sec) : 0,
      bytesPerFrame: a.sent > 0 ? Math.round(snap.bytesSent / a.sent) : 0,
    },
    clock: { offsetMs: 0, uncertaintyMs: 0, samples: 0, applied: false },
    timeseries: snap.timeseries,
    events: snap.events,
    thresholds: [],
    ingest,
  };
  const chaos = chaosSummary(cell.events, cell.timeseries);
  if (chaos) cell.chaos = chaos;
  return cell;
}
