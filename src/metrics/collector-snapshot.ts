// What a cell's collector hands over when the cell ends (its counts, summaries, series and events),
// the zero counts it starts from, and the loss ratio as results store it.
import type { CellCounts, LatencySummary, PlaybackSummary, RunEvent, StreamSummary, TimeseriesPoint } from '../results/types.js';
import type { HopSummaries } from './hops.js';

export interface CollectorSnapshot {
  counts: CellCounts;
  /** Frames and bytes received during the measurement window (any request): the throughput basis. */
  window: { frames: number; bytes: number };
  errorsByKind: Record<string, number>;
  latencyMs: {
    frame: LatencySummary;
    lateness: LatencySummary;
    connect: LatencySummary;
    firstFrame: LatencySummary;
    reconnect?: LatencySummary;
    gap?: LatencySummary;
    timeToDone?: LatencySummary;
  } & HopSummaries;
  /** Image bytes of the frames counted in `window` (the payload without any protocol header). */
  payloadBytes?: number;
  streams?: StreamSummary;
  playback: PlaybackSummary;
  timeseries: TimeseriesPoint[];
  events: RunEvent[];
  measuredSec: number;
}

export const emptyCounts = (): CellCounts => ({
  framesExpected: 0,
  framesReceived: 0,
  framesLost: 0,
  framesDuplicated: 0,
  bytesReceived: 0,
  requests: 0,
  requestsCompleted: 0,
  connects: 0,
  connectFailures: 0,
  reconnects: 0,
  errors: 0,
  resumes: 0,
  lossRatio: 0,
  messagesBinary: 0,
  messagesText: 0,
  httpRequests: 0,
  clientCpuUs: 0,
});

export function lossRatio(lost: number, expected: number): number {
  return expected > 0 ? Math.round((lost / expected) * 1e6) / 1e6 : 0;
}
