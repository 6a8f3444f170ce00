// One cell of results.json (framebench/results@1): its params, figures, thresholds and verdict.
import type { ChaosSummary, CellCounts, LatencySummary, PlaybackSummary, RunEvent, StreamSummary, TimeseriesPoint } from './cell-figures.js';
import type { BrowserResult } from './browser.js';
import type { IngestCellResult } from './ingest.js';
import type { ThresholdResult } from './threshold.js';

/** Why a cell failed regardless of thresholds (received nothing, completed nothing, unreadable messages). */
export interface CellFailure {
  kind: 'no_frames' | 'no_completed_request' | 'protocol_errors' | 'interrupted_empty' | 'no_answers' | 'accounting' | 'browser_no_frames';
  reason: string;
}

export interface CellResult {
  id: string;
  params: Record<string, string | number | boolean>;
  /** Repetition index when the scenario repeats cells (0-based); set on the entries of `repeats`. */
  repeat?: number;
  /** With `repeat: N`, the N runs of this cell kept apart (for noise estimates); the cell itself aggregates them. */
  repeats?: CellResult[];
  startedAt: string;
  endedAt: string;
  /** Wall-clock time the measured window began; per-second windows end at this + t (sharded runs merge on it). */
  measureStartedAt?: string;
  /** Seconds of measurement (warm-up excluded). */
  durationSec: number;
  counts: CellCounts;
  errorsByKind: Record<string, number>;
  latencyMs: {
    frame: LatencySummary;
    lateness: LatencySummary;
    connect: LatencySummary;
    firstFrame: LatencySummary;
    /** Connection lost → open again, per successful reconnect (present when there were any). */
    reconnect?: LatencySummary;
    /** Time between consecutive frames of a stream, from arrival times. */
    gap?: LatencySummary;
    /** Request sent → done (or its last frame, when the protocol ends streams by count or idle). */
    timeToDone?: LatencySummary;
    /** Through a gateway topology (present when the server reports them): enqueue → a generator takes the job. */
    queueWait?: LatencySummary;
    /** Frame generation (publish) → gateway receive, from the gateway's stamp in the frame header. */
    generatorToGateway?: LatencySummary;
    /** Gateway receive → client receive (frame latency is the end-to-end figure). */
    gatewayToClient?: LatencySummary;
  };
  /** CPU per received frame over the measurement window: client processes, and a local server when its process is known. */
  cpu?: { clientMsPerFrame: number; serverMsPerFrame?: number; serverMs?: number };
  /** HTTP requests per received frame (polling transports). */
  requestsPerFrame?: number;
  /** bytesPerFrame counts whole messages; payloadBytesPerFrame the image alone (no protocol header, base64 decoded). */
  throughput: { framesPerSec: number; bytesPerSec: number; bytesPerFrame: number; payloadBytesPerFrame?: number };
  /** Per-stream delivered fps and frames per request against what was asked. */
  streams?: StreamSummary;
  /** The protocol clients spoke: "reference", "declarative" or "module <file>". */
  protocol?: string;
  playback?: PlaybackSummary;
  /** Clock offset to the target (server − client); applied to frame latency only for remote targets. */
  clock: { offsetMs: number; uncertaintyMs: number; samples: number; applied: boolean };
  timeseries: TimeseriesPoint[];
  events: RunEvent[];
  /** Present when the scenario injected faults. */
  chaos?: ChaosSummary;
  /** How the harness itself fared (event-loop delay, CPU); workers used. */
  harness?: {
    workers: number;
    maxCpuPct: number;
    maxLoopDelayMs: number;
    saturated: boolean;
    reason?: string;
    /** Longest harness event-loop stall seen in a measured window, ms. */
    maxStallMs?: number;
    /** Stall bound (ms) beyond which a window is harness-affected. */
    pauseBoundMs?: number;
    /** End times (s) of the windows in which the harness paused longer than the bound. */
    pausedWindows?: number[];
    /** True when any window is harness-affected: the cell's latency figures include the harness's own pause. */
    latencyAffected?: boolean;
  };
  /**
   * True when the harness, not the target, was the bottleneck, or its event loop paused longer
   * than the pause bound in any window: latency figures are not trustworthy (reason in harness.reason).
   */
  harnessSaturated?: boolean;
  thresholds: ThresholdResult[];
  /** Reasons the cell failed on its own (see src/metrics/cell-verdict.ts); empty or absent when none. */
  failures?: CellFailure[];
  /** False when the cell failed (a failure above, or a threshold that failed or was not measured). */
  ok?: boolean;
  /** Upload cells (scenario direction: upload): the cameras' and the ingestion server's figures. */
  ingest?: IngestCellResult;
  /** Browser viewers in real Chromium (`browsers.pages` > 0). */
  browser?: BrowserResult;
  /** In a merged sharded run: what each shard contributed, its errors and whether its harness was saturated. */
  byShard?: ShardCellSummary[];
}

export interface ShardCellSummary {
  shard: string;
  clients: number;
  framesReceived: number;
  framesLost: number;
  errors: number;
  errorsByKind: Record<string, number>;
  framesPerSec: number;
  frameP99: number;
  harnessSaturated?: boolean;
  reason?: string;
}
