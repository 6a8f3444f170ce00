// Counters of the reference ingestion server and the /stats record built from them.
import type { LatencySummary } from '../results/types.js';
import type { DropReason } from './wire.js';

export interface IngestStats {
  connections: number;
  connectionsTotal: number;
  /** Connections refused over --max-connections. */
  refused: number;
  framesReceived: number;
  /** Frames an answer was sent for. */
  framesCovered: number;
  /** Frames the camera was told will never be answered. */
  framesDropped: number;
  droppedByReason: Partial<Record<DropReason, number>>;
  /** Frames still buffered or in a batch when their connection closed (the camera cannot be told). */
  framesAbandoned: number;
  rateLimited: number;
  tooLarge: number;
  badFrames: number;
  /** Frames buffered now, over all connections. */
  bufferDepth: number;
  /** Deepest single-connection buffer seen. */
  bufferDepthMax: number;
  bufferedBytes: number;
  batches: number;
  batchFrames: number;
  modelCalls: number;
  modelFailures: number;
  api429: number;
  retries: number;
  backoffMs: number;
  /** Dispatcher ticks that found the previous batch still in flight or the in-flight cap reached. */
  deferred: number;
  inflight: number;
  contextCharsMax: number;
  modelLatencyMs: LatencySummary;
  /** Time between batches of one connection, ms. */
  intervalMs: LatencySummary;
  uptimeSec: number;
}

type Live = Pick<IngestStats, 'connections' | 'inflight' | 'bufferedBytes' | 'uptimeSec' | 'modelLatencyMs' | 'intervalMs'>;

export class IngestCounters {
  connectionsTotal = 0;
  refused = 0;
  framesReceived = 0;
  framesCovered = 0;
  framesDropped = 0;
  framesAbandoned = 0;
  readonly droppedByReason: Partial<Record<DropReason, number>> = {};
  rateLimited = 0;
  tooLarge = 0;
  badFrames = 0;
  bufferDepth = 0;
  bufferDepthMax = 0;
  batches = 0;
  batchFrames = 0;
  modelCalls = 0;
  modelFailures = 0;
  api429 = 0;
  retries = 0;
  backoffMs = 0;
  deferred = 0;
  contextCharsMax = 0;

  drop(reason: DropReason, n: number): void {
    this.framesDropped += n;
    this.droppedByReason[reason] = (this.droppedByReason[reason] ?? 0) + n;
  }

  noteDepth(depth: number): void {
    if (depth > this.bufferDepthMax) this.bufferDepthMax = depth;
  }

  snapshot(live: Live): IngestStats {
    return {
      connections: live.connections,
      connectionsTotal: this.connectionsTotal,
      refused: this.refused,
      framesReceived: this.framesReceived,
      framesCovered: this.framesCovered,
      framesDropped: this.framesDropped,
      droppedByReason: { ...this.droppedByReason },
      framesAbandoned: this.framesAbandoned,
      rateLimited: this.rateLimited,
      tooLarge: this.tooLarge,
      badFrames: this.badFrames,
      bufferDepth: this.bufferDepth,
      bufferDepthMax: this.bufferDepthMax,
      bufferedBytes: live.bufferedBytes,
      batches: this.batches,
      batchFrames: this.batchFrames,
      modelCalls: this.modelCalls,
      modelFailures: this.modelFailures,
      api429: this.api429,
      retries: this.retries,
      backoffMs: Math.round(this.backoffMs),
      deferred: this.deferred,
      inflight: live.inflight,
      contextCharsMax: this.contextCharsMax,
      modelLatencyMs: live.modelLatencyMs,
      intervalMs: live.intervalMs,
      uptimeSec: Math.round(live.uptimeSec * 10) / 10,
    };
  }
}
