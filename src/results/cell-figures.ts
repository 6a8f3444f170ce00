// Per-cell figures of results.json: latency summaries, counts, playback, the per-second series,
// events and the chaos summary.

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

export interface PlaybackSummary {
  startupMs: LatencySummary;
  stalls: number;
  stallRatio: number;
  stallMs: number;
  /** Time frames were on screen (frames shown × 1000/fps): the other half of stallRatio. */
  playedMs?: number;
  displayLatency?: LatencySummary;
}
