// The results.json contract (schema framebench/results@1): the one record every output is rendered from.

import type { SoakResults } from '../soak/types.js';
import type { IngestCellResult } from './ingest-results.js';

export const RESULTS_SCHEMA = 'framebench/results@1';

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** HDR histogram of the values in µs, compressed base64 (exact merge across shards). */
  hdr: string;
}

/** Per-stream figures from arrival times (any protocol): one sample per measured request. */
export interface StreamSummary {
  /** Measured requests that ended. */
  count: number;
  /** Frames those requests asked for (0 for continuous streams). */
  framesAsked: number;
  /** Delivered frames per second of each stream ((frames − 1) / (last − first arrival)); read the "ms" fields as fps. */
  deliveredFps: LatencySummary;
  /** Frames each request received; read the "ms" fields as frames. */
  framesPerRequest: LatencySummary;
}

export interface CellCounts {
  framesExpected: number;
  framesReceived: number;
  framesLost: number;
  framesDuplicated: number;
  bytesReceived: number;
  requests: number;
  requestsCompleted: number;
  connects: number;
  connectFailures: number;
  reconnects: number;
  errors: number;
  /** Streams continued on a new connection after a reconnect (resume accepted by the server). */
  resumes: number;
  /** framesLost / framesExpected (0 when nothing was expected). */
  lossRatio: number;
  /** Binary WebSocket messages received over the whole cell (warm-up and drain included, like errors). */
  messagesBinary: number;
  /** Text WebSocket messages received over the whole cell (warm-up and drain included, like errors). */
  messagesText: number;
  /** HTTP requests of the measured requests of polling clients (requests per frame = this / framesReceived). */
  httpRequests?: number;
  /** CPU time of the client processes during the measurement window, µs. */
  clientCpuUs?: number;
}

export interface TimeseriesPoint {
  /** Seconds since the cell's measurement start, at the end of this window. */
  t: number;
  /** Window length, s (1 for per-second windows; more once a long run rolls them up). */
  durationSec?: number;
  /** Frame latency of this window: HDR histogram (µs), compressed base64, so windows merge exactly. */
  hdr?: string;
  /** Lateness of this window (HDR, µs, compressed base64): on live ticks only, not kept in results files. */
  latenessHdr?: string;
  framesPerSec: number;
  bytesPerSec: number;
  /** Frame latency p99 within this second, ms (0 when no frames). */
  p99: number;
  p50: number;
  connections: number;
  errors: number;
  /** Frames lost by measured requests that ended within this second. */
  lost?: number;
  /** Successful reconnects within this second. */
  reconnects?: number;
  /** Busiest harness process's CPU in this window, % of one core. */
  harnessCpuPct?: number;
  /** Worst harness event-loop delay p99 in this window, ms. */
  loopDelayP99Ms?: number;
  /** Longest stall of a harness event loop in this window, ms (the timer's delay beyond its interval). */
  loopStallMs?: number;
  /**
   * A harness event loop stalled longer than the pause bound in this window: its latency figures
   * include the harness's own pause (and frames held up by it), not only the target's.
   */
  harnessAffected?: boolean;
  /** A harness process closed one longer window across this slot (its event loop stalled): it lends its rates here. */
  spanned?: boolean;
}

export interface RunEvent {
  t: number;
  kind: string;
  detail: string;
  /** Connections or clients a fault hit. */
  hit?: number;
  /** When a fault's effect ended (network windows, restarts, commands), s. */
  endsAt?: number;
  /** A command's output tail. */
  output?: string;
  /** In a merged sharded run: the shard that saw it ("2/4"). */
  shard?: string;
}

/** What one fault did to the stream, derived from the per-second time series. */
export interface FaultImpact {
  t: number;
  kind: string;
  hit: number | null;
  /** Frames/s in the seconds before the fault (the level to get back to). */
  baselineFps: number;
  /** Seconds until frames/s was back to ≥ 95 % of the baseline; null if it never was (or not measured). */
  recoverSec: number | null;
  /** True when frames/s was 0 before the fault: there is no level to recover to, so recovery is not measured. */
  notMeasured?: boolean;
  /** Frames lost by requests that ended between the fault and the recovery. */
  framesLost: number;
}

export interface ChaosSummary {
  faults: FaultImpact[];
  lossByKind: Record<string, number>;
  recoverSec: { p50: number | null; p99: number | null; max: number | null };
  /** Faults after which frames/s never got back to 95 % of its level before the fault. */
  unrecovered: number;
  /** Faults on a zero baseline (no frames before them): neither recovered nor unrecovered. */
  notMeasured?: number;
}

/**
 * pass: measured and held · fail: measured and missed · not_measured: no samples (fails the run) ·
 * skipped: an optional threshold that was not measured (does not fail the run, is not a pass).
 */
export type ThresholdStatus = 'pass' | 'fail' | 'not_measured' | 'skipped';

export interface ThresholdResult {
  expr: string;
  /** False when the threshold fails the run (fail or not_measured); true for pass and skipped. */
  ok: boolean;
  /** The measured value; null when not measured. */
  value: number | null;
  /** Present in results written since fail-closed thresholds; readers treat its absence by `ok`/`value`. */
  status?: ThresholdStatus;
  metric?: string;
  op?: string;
  bound?: number;
  where?: Record<string, Array<string | number | boolean>>;
  optional?: boolean;
  /** Why the metric has no samples, e.g. "0 frames" (not_measured and skipped). */
  reason?: string;
}

/** Why a cell failed regardless of thresholds (received nothing, completed nothing, unreadable messages). */
export interface CellFailure {
  kind: 'no_frames' | 'no_completed_request' | 'protocol_errors' | 'interrupted_empty' | 'no_answers' | 'accounting' | 'browser_no_frames';
  reason: string;
}

export interface PlaybackSummary {
  startupMs: LatencySummary;
  stalls: number;
  stallRatio: number;
  stallMs: number;
  /** Time frames were on screen (frames shown × 1000/fps): the other half of stallRatio. */
  playedMs?: number;
  displayLatency?: LatencySummary;
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
  /** Browser viewers in real Chromium (`browsers.pages` > 0). */
  browser?: BrowserResult;
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

/** Codec cost of one corpus entry, shown beside the latency results. */
export interface CodecResult {
  format: string;
  resolution: string;
  width: number;
  height: number;
  quality: number;
  meanBytes: number;
  /** A foreign target's frames: the image bytes per frame it really sent in cells of this format and size. */
  targetBytesPerFrame?: number;
  encodeMs: number;
  decodeMs: number;
  /** dB against the uncompressed source; null when lossless. */
  psnr: number | null;
}

/** One shard of a distributed run (`--shard I/N`): who it was and how its clock compared. */
export interface ShardInfo {
  /** 0-based, as JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
  /** "index+1/count", as people count shards. */
  label: string;
  /** Hash of the resolved scenario; every shard of one run has the same. */
  scenarioHash: string;
  /** The synchronised start (--start-at), when given. */
  startAt?: string;
  host: string;
  /** This shard's clock offset estimate to the target (server − client) and its uncertainty. */
  clock: { offsetMs: number; uncertaintyMs: number; samples: number };
  sourceAddresses?: string[];
}

/** How a merged result was made from its shards. */
export interface MergeInfo {
  shards: Array<ShardInfo & { file: string; startedAt: string; endedAt: string; ok: boolean; harnessSaturated?: boolean; harnessSaturatedReason?: string; interrupted?: boolean }>;
  /** Largest minus smallest clock offset estimate across shards, and the largest uncertainty. */
  clockSpreadMs: number;
  clockUncertaintyMs: number;
  /** Windows that only some shards had (a shard started late, stopped early or lost windows). */
  partialWindows: number;
  /** Cells some shard has no results for (it was interrupted): the merged result fails. */
  incompleteCells?: string[];
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  tool: { name: string; version: string };
  runId: string;
  command: string;
  startedAt: string;
  endedAt: string;
  scenario: Record<string, unknown>;
  environment: { node: string; os: string; cpus: number; cpuModel: string; target: string; embeddedServer: boolean };
  cells: CellResult[];
  codecs?: CodecResult[];
  /** Soak runs: stages, scraped series, drift of the hold phase. */
  soak?: SoakResults;
  /** True when any cell's harness was saturated; the reason names the cells. */
  harnessSaturated?: boolean;
  harnessSaturatedReason?: string;
  interrupted?: boolean;
  /** Set when this file is one shard of a distributed run. */
  shard?: ShardInfo;
  /** Set on the result `bench merge` made from shards. */
  merge?: MergeInfo;
  /** Results rebuilt from another engine's output (`bench import k6`): the engine and its files. */
  imported?: { engine: string; files: Array<{ file: string; samples: number; ignored: number }> };
  /** True only when every cell measured something, no cell failed and every threshold held (or was skipped). */
  ok: boolean;
}

/** Browser viewers of a cell (real Chromium pages), summed and merged over pages. */
export interface BrowserResult {
  pages: number;
  /** Pages that started and reported (a page that failed is in `errors`). */
  pagesReported: number;
  streams: number;
  /** Streams whose WebSocket opened. */
  connected: number;
  measuredMs: number;
  framesReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  framesPainted: number;
  /** Decoded too late to show (a later frame was already painted) plus pushed out of a full buffer. */
  dropped: number;
  droppedLate: number;
  droppedOverflow: number;
  /** Frames not decoded because the stream's decode backlog was full. */
  backlogDropped: number;
  /** Underruns of a playing stream, and their time. */
  stalls: number;
  stallMs: number;
  /** stallMs / (stallMs + painted frames × frame interval). */
  stallRatio: number;
  /** Gaps between painted frames ≥ max(3 × mean gap, mean + 150 ms) (the W3C freezeCount rule). */
  freezes: number;
  freezeMs: number;
  /** Main-thread long tasks (≥ 50 ms) and their total time. */
  longTasks: number;
  longTaskMs: number;
  decodeErrors: number;
  socketErrors: number;
  /** Streams closed by the other side before the measured window ended. */
  socketCloses: number;
  serverErrors: number;
  /** Receive → decoded (createImageBitmap), ms. */
  decode: LatencySummary;
  /** Decoded → painted on the canvas, ms. */
  paint: LatencySummary;
  /** Receive − the frame's due time from its header (same host: one clock), ms. */
  frame: LatencySummary;
  /** Page failures (at most 8, clipped). */
  errors: string[];
}
