// The repeated runs of one upload cell as one cell: the download-shaped fields as for any repeat
// (aggregate.ts), and the `ingest` block merged exactly — accounting and counters added (so
// sent = covered + dropped + lost holds), histograms through HDR, windows laid end to end.
import { mergeAccounting } from '../ingest/upload-merge.js';
import { inValueUnits } from '../ingest/ingest-windows.js';
import { mergeErrorKinds } from '../metrics/error-kinds.js';
import type { IngestCellResult, IngestModelApiView, IngestServerView } from '../results/ingest.js';
import { mergeSummaries } from '../metrics/merge.js';
import type { CellResult } from '../results/types.js';
import { aggregateRepeats } from '../metrics/aggregate.js';
import { lagDriftOf } from './ingest-cell.js';

const sum = <T>(items: readonly T[], f: (t: T) => number): number => items.reduce((n, t) => n + f(t), 0);

function mergeServer(parts: IngestServerView[]): IngestServerView | undefined {
  const first = parts[0];
  if (!first) return undefined;
  const add = (k: keyof IngestServerView): number => sum(parts, (p) => p[k] as number);
  return {
    source: first.source,
    framesReceived: add('framesReceived'),
    framesCovered: add('framesCovered'),
    framesDropped: add('framesDropped'),
    droppedByReason: mergeErrorKinds(parts.map((p) => p.droppedByReason)),
    framesAbandoned: add('framesAbandoned'),
    rateLimited: add('rateLimited'),
    tooLarge: add('tooLarge'),
    bufferDepthMax: Math.max(...parts.map((p) => p.bufferDepthMax)),
    batches: add('batches'),
    modelCalls: add('modelCalls'),
    modelFailures: add('modelFailures'),
    api429: add('api429'),
    retries: add('retries'),
    backoffMs: add('backoffMs'),
    deferred: add('deferred'),
    contextCharsMax: Math.max(...parts.map((p) => p.contextCharsMax)),
    modelLatencyMs: mergeSummaries(parts.map((p) => p.modelLatencyMs)),
    intervalMs: mergeSummaries(parts.map((p) => p.intervalMs)),
    restarts: add('restarts'),
  };
}

function mergeModelApi(parts: IngestModelApiView[]): IngestModelApiView | undefined {
  if (!parts.length) return undefined;
  return {
    requests: sum(parts, (p) => p.requests),
    answered: sum(parts, (p) => p.answered),
    rateLimited: sum(parts, (p) => p.rateLimited),
    throttled: sum(parts, (p) => p.throttled),
    failed: sum(parts, (p) => p.failed),
    latencyMs: mergeSummaries(parts.map((p) => p.latencyMs)),
  };
}

/** Upload-cell blocks of runs that followed one another, each `durationSec` long. */
export function mergeIngestBlocks(runs: ReadonlyArray<{ ingest: IngestCellResult; durationSec: number }>): IngestCellResult {
  const blocks = runs.map((r) => r.ingest);
  const first = blocks[0]!;
  const lat = (k: keyof IngestCellResult['latencyMs']) => mergeSummaries(blocks.map((b) => b.latencyMs[k]));
  const sec = sum(runs, (r) => r.durationSec);
  const perClient = sec > 0 ? sum(runs, (r) => r.ingest.bandwidth.bytesPerSecPerClient * r.durationSec) / sec : 0;
  const budget = first.bandwidth.budgetBytesPerSec;
  const timeseries: IngestCellResult['timeseries'] = [];
  const recovery: NonNullable<IngestCellResult['recovery']> = [];
  let offset = 0;
  for (const r of runs) {
    for (const p of r.ingest.timeseries) timeseries.push({ ...p, t: Math.round((p.t + offset) * 1000) / 1000 });
    for (const x of r.ingest.recovery ?? []) recovery.push({ ...x, t: Math.round((x.t + offset) * 1000) / 1000 });
    offset += r.durationSec;
  }
  const server = mergeServer(blocks.flatMap((b) => (b.server ? [b.server] : [])));
  const modelApi = mergeModelApi(blocks.flatMap((b) => (b.modelApi ? [b.modelApi] : [])));
  const lagDrift = lagDriftOf(timeseries);
  return {
    direction: 'upload',
    settings: first.settings,
    accounting: mergeAccounting(blocks.map((b) => b.accounting)),
    answers: sum(blocks, (b) => b.answers),
    acks: sum(blocks, (b) => b.acks),
    latencyMs: { answerLag: lat('answerLag'), sendLateness: lat('sendLateness'), ack: lat('ack'), modelApi: lat('modelApi') },
    batchSize: inValueUnits(mergeSummaries(blocks.map((b) => b.batchSize))),
    contextChars: inValueUnits(mergeSummaries(blocks.map((b) => b.contextChars))),
    serverErrors: mergeErrorKinds(blocks.map((b) => b.serverErrors)),
    bandwidth: { bytesPerSecPerClient: Math.round(perClient), budgetBytesPerSec: budget, budgetRatio: Math.round((perClient / budget) * 1000) / 1000 },
    timeseries,
    ...(server ? { server } : {}),
    ...(modelApi ? { modelApi } : {}),
    ...(lagDrift ? { lagDrift } : {}),
    ...(recovery.length ? { recovery } : {}),
  };
}

/** Repeats of one upload cell → one cell (the runs stay in `repeats`). */
export function aggregateIngestRepeats(runs: CellResult[]): CellResult {
  const cell = aggregateRepeats(runs);
  if (runs.length < 2) return cell;
  const withIngest = runs.filter((r): r is CellResult & { ingest: IngestCellResult } => r.ingest !== undefined);
  if (withIngest.length === runs.length) cell.ingest = mergeIngestBlocks(withIngest);
  return cell;
}
