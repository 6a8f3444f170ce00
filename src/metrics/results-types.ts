// The results.json contract (schema framebench/results@1): the one record every output is rendered from.

import type { SoakResults } from '../soak/types.js';

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
  kind: 'no_frames' | 'no_completed_request' | 'protocol_errors' | 'interrupted_empty';
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
  };
  throughput: { framesPerSec: number; bytesPerSec: number; bytesPerFrame: number };
  /** CPU per received frame over the measurement window: client processes, and a local server when its process is known. */
  cpu?: { clientMsPerFrame: number; serverMsPerFrame?: number; serverMs?: number };
  /** Browser viewers in real Chromium (`browsers.pages` > 0). */
  browser?: BrowserResult;
  /** HTTP requests per received frame (polling transports). */
  requestsPerFrame?: number;
  playback?: PlaybackSummary;
  /** Clock offset to the target (server − client); applied to frame latency only for remote targets. */
  clock: { offsetMs: number; uncertaintyMs: number; samples: number; applied: boolean };
  timeseries: TimeseriesPoint[];
  events: RunEvent[];
  /** Present when the scenario injected faults. */
  chaos?: ChaosSummary;
  /** How the harness itself fared (event-loop delay, CPU); workers used. */
  harness?: { workers: number; maxCpuPct: number; maxLoopDelayMs: number; saturated: boolean; reason?: string };
  /** True when the harness, not the target, was the bottleneck: latency figures are not trustworthy. */
  harnessSaturated?: boolean;
  thresholds: ThresholdResult[];
  /** Reasons the cell failed on its own (see src/metrics/cell-verdict.ts); empty or absent when none. */
  failures?: CellFailure[];
  /** False when the cell failed (a failure above, or a threshold that failed or was not measured). */
  ok?: boolean;
}

/** Browser viewers of a cell (real Chromium pages), merged over pages; decode/paint in ms. */
export interface BrowserResult {
  pages: number;
  streams: number;
  /** Streams whose WebSocket opened. */
  connected: number;
  framesReceived: number;
  framesDecoded: number;
  framesPainted: number;
  /** Decoded frames pushed out of a full playback buffer before they were painted. */
  dropped: number;
  /** Paint ticks with no frame to show (after a stream's first frame). */
  stalls: number;
  /** Gaps between painted frames ≥ max(3 × mean gap, mean + 150 ms) (W3C freezeCount). */
  freezes: number;
  decodeErrors: number;
  socketErrors: number;
  /** Main-thread long tasks (≥ 50 ms) and their total time. */
  longTasks: number;
  longTaskMs: number;
  /** Receive → decoded (createImageBitmap). */
  decode: LatencySummary;
  /** Decoded → painted on the canvas. */
  paint: LatencySummary;
}

/** Codec cost of one corpus entry, shown beside the latency results. */
export interface CodecResult {
  format: string;
  resolution: string;
  width: number;
  height: number;
  quality: number;
  meanBytes: number;
  encodeMs: number;
  decodeMs: number;
  /** dB against the uncompressed source; null when lossless. */
  psnr: number | null;
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
  /** True only when every cell measured something, no cell failed and every threshold held (or was skipped). */
  ok: boolean;
}
