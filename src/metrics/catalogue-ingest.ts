// The upload-cell part of the metric catalogue (src/metrics/catalogue.ts): the `ingest.*` paths, their
// units and labels, and how each is read from a cell's `ingest` block. A figure the cell could not
// measure is undefined (a threshold on it is not measured).
import type { IngestCellResult, LatencySummary } from '../results/types.js';
import type { Better, MetricUnit } from './metric-units.js';

/** Distributions: `ingest.<name>.<stat>`. */
export const INGEST_SUMMARIES: ReadonlyArray<readonly [name: string, label: string, unit: MetricUnit]> = [
  ['answerLag', 'answer lag', 'ms'],
  ['sendLateness', 'send lateness', 'ms'],
  ['ack', 'ack time', 'ms'],
  ['modelApi', 'model API time', 'ms'],
  ['batchSize', 'batch size', 'count'],
  ['contextChars', 'context characters', 'count'],
];

export const INGEST_SCALARS: ReadonlyArray<readonly [name: string, label: string, unit: MetricUnit, better: Better]> = [
  ['framesDue', 'upload frames due', 'count', 'higher'],
  ['framesSent', 'upload frames sent', 'count', 'higher'],
  ['framesUnsent', 'upload frames never sent', 'count', 'lower'],
  ['framesCovered', 'upload frames answered', 'count', 'higher'],
  ['framesDropped', 'upload frames dropped', 'count', 'lower'],
  ['framesLost', 'upload frames lost', 'count', 'lower'],
  ['dropRatio', 'drop ratio', 'ratio', 'lower'],
  ['lossRatio', 'upload loss ratio', 'ratio', 'lower'],
  ['answers', 'answers', 'count', 'higher'],
  ['rateLimited', 'rate-limited uploads', 'count', 'lower'],
  ['api429', 'model API 429 answers', 'count', 'lower'],
  ['retries', 'model API retries', 'count', 'lower'],
  ['bufferDepthMax', 'largest server buffer', 'count', 'lower'],
  ['contextCharsMax', 'largest context', 'count', 'lower'],
  ['bytesPerSecPerClient', 'bytes per second per camera', 'Bps', 'lower'],
  ['budgetRatio', 'share of the bandwidth budget', 'ratio', 'lower'],
  ['lagDriftPct', 'answer lag drift', 'pct', 'lower'],
  ['lagRecoverSec', 'answer lag recovery time', 's', 'lower'],
];

export function ingestSummary(g: IngestCellResult, name: string): LatencySummary | undefined {
  const summary = name === 'batchSize' || name === 'contextChars' ? g[name] : (g.latencyMs as Record<string, LatencySummary | undefined>)[name];
  return summary ?? undefined;
}

export function ingestScalar(g: IngestCellResult, name: string): unknown {
  const acc = g.accounting;
  switch (name) {
    case 'framesDue':
      return acc.due;
    case 'framesSent':
      return acc.sent;
    case 'framesUnsent':
      return acc.unsent;
    case 'framesCovered':
      return acc.covered;
    case 'framesDropped':
      return acc.dropped;
    case 'framesLost':
      return acc.lost;
    case 'dropRatio':
      return acc.sent > 0 ? acc.dropped / acc.sent : undefined;
    case 'lossRatio':
      return acc.sent > 0 ? acc.lost / acc.sent : undefined;
    case 'answers':
      return g.answers;
    case 'rateLimited':
      return g.serverErrors.rate_limited ?? 0;
    case 'api429':
      return g.server?.api429;
    case 'retries':
      return g.server?.retries;
    case 'bufferDepthMax':
      return g.server?.bufferDepthMax;
    case 'contextCharsMax':
      return g.server?.contextCharsMax ?? (g.contextChars.count > 0 ? g.contextChars.max : undefined);
    case 'bytesPerSecPerClient':
      return g.bandwidth.bytesPerSecPerClient;
    case 'budgetRatio':
      return g.bandwidth.budgetRatio;
    case 'lagDriftPct':
      return g.lagDrift && g.lagDrift.verdict !== 'insufficient-data' ? g.lagDrift.changePct : undefined;
    case 'lagRecoverSec': {
      const recovered = (g.recovery ?? []).map((r) => r.lagRecoverSec);
      return recovered.length === 0 || recovered.includes(null) ? undefined : Math.max(...(recovered as number[]));
    }
    default:
      return undefined;
  }
}
