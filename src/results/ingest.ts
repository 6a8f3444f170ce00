// The `ingest` block of an upload cell in results.json: accounting, latencies, batching, the
// server's and the model API's view, bandwidth against the per-client budget, drift and recovery.
import type { DriftMetric } from './soak.js';
import type { LatencySummary } from './cell-figures.js';

/** Bytes per second per camera that deployments usually budget for. */
export const BANDWIDTH_BUDGET_BYTES_PER_SEC = 150_000;

export interface IngestAccounting {
  /** Frames whose scheduled capture time fell in the measured window. */
  due: number;
  /** Of those, sent (possibly late). */
  sent: number;
  /** Due but never sent: the client's backlog overflowed while it could not send (counted, never silent). */
  unsent: number;
  /** Sent frames an answer covered. */
  covered: number;
  /** Sent frames the server said it will not answer (by reason). */
  dropped: number;
  droppedByReason: Record<string, number>;
  /** Sent frames nobody ever answered or dropped (lost connection, drain timeout, server restart). */
  lost: number;
  /** Answers for frames already answered or unknown. */
  duplicates: number;
  /** sent = covered + dropped + lost, checked when the cell ends. */
  balanced: boolean;
}

/** A distribution of plain values (not times): count, mean and percentiles in the value's own unit. */
export type ValueSummary = LatencySummary;

export interface IngestServerView {
  /** Where these figures come from: the embedded servers' /stats, or a target's stats URL. */
  source: string;
  framesReceived: number;
  framesCovered: number;
  framesDropped: number;
  droppedByReason: Record<string, number>;
  framesAbandoned: number;
  rateLimited: number;
  tooLarge: number;
  bufferDepthMax: number;
  batches: number;
  modelCalls: number;
  modelFailures: number;
  api429: number;
  retries: number;
  backoffMs: number;
  deferred: number;
  contextCharsMax: number;
  modelLatencyMs: LatencySummary;
  intervalMs: LatencySummary;
  /** Server restarts seen during the cell (its counters start again from zero). */
  restarts: number;
}

export interface IngestModelApiView {
  requests: number;
  answered: number;
  rateLimited: number;
  throttled: number;
  failed: number;
  latencyMs: LatencySummary;
}

export interface IngestPoint {
  t: number;
  sentPerSec: number;
  answersPerSec: number;
  coveredPerSec: number;
  dropped: number;
  lost: number;
  /** Capture → answer p50/p99 of the answers in this window, ms (0 when none). */
  lagP50: number;
  lagP99: number;
  latenessP99: number;
  bytesPerSec: number;
  connections: number;
  /** From the server's stats, when available. */
  bufferDepth?: number;
  api429?: number;
  retries?: number;
  serverDropped?: number;
  inflight?: number;
}

export interface IngestRecovery {
  t: number;
  kind: string;
  /** Seconds after the fault's end until answer lag p99 was back within 1.5× its level before; null if never. */
  lagRecoverSec: number | null;
  /** Seconds after the fault's end until the server buffer was back to its level before (+ one batch); null if never or unknown. */
  bufferRecoverSec: number | null;
  lagBeforeMs: number;
  lagPeakMs: number;
  bufferBefore: number | null;
  bufferPeak: number | null;
}

export interface IngestCellResult {
  direction: 'upload';
  settings: {
    fps: number;
    transport: string;
    format: string;
    resolution: string;
    dispatchIntervalMs: number;
    batchSize: number;
    apiRateLimit: number;
    bufferFrames: number;
    contextChars: number;
    maxFps: number;
  };
  accounting: IngestAccounting;
  answers: number;
  acks: number;
  latencyMs: {
    /** Scheduled capture time → the answer covering the frame arrived. */
    answerLag: LatencySummary;
    /** Scheduled send time → the frame was handed to the socket. */
    sendLateness: LatencySummary;
    /** Scheduled capture time → the server's ack. */
    ack: LatencySummary;
    /** Model API time per answer, as the server reported it. */
    modelApi: LatencySummary;
  };
  batchSize: ValueSummary;
  contextChars: ValueSummary;
  /** Errors the server sent, by code (rate_limited, frame_too_large …). */
  serverErrors: Record<string, number>;
  bandwidth: { bytesPerSecPerClient: number; budgetBytesPerSec: number; budgetRatio: number };
  server?: IngestServerView;
  modelApi?: IngestModelApiView;
  timeseries: IngestPoint[];
  /** Answer lag p99 over the cell: growing or not (Theil–Sen and Mann–Kendall, as in soak drift). */
  lagDrift?: DriftMetric;
  recovery?: IngestRecovery[];
}
