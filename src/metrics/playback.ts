// Playback figures summed over requests: the outcome of one request's playback model, the
// time-weighted stall ratio, and the accumulator that turns outcomes into the results'
// PlaybackSummary (startup delay and display latency as HDR histograms).
import { createHistogram, recordUs, summarize } from './hdr.js';
import type { Histogram } from './hdr.js';
import type { PlaybackSummary } from '../results/types.js';

/** Receives the display latency (ms) of each shown frame. */
export type DisplayLatencySink = (ms: number) => void;

export interface PlaybackOutcome {
  startupMs: number | null;
  stalls: number;
  stallMs: number;
  playedMs: number;
  stallRatio: number;
  framesArrived: number;
  framesDisplayed: number;
}

export function stallRatio(stallMs: number, playedMs: number): number {
  const total = stallMs + playedMs;
  return total > 0 ? stallMs / total : 0;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * Sums outcomes across requests into the results' PlaybackSummary. stallRatio is time-weighted:
 * Σ stallMs / (Σ stallMs + Σ playedMs). Pass `recordDisplayLatency` as the models' sink.
 */
export class PlaybackAccumulator {
  private readonly startup: Histogram = createHistogram();
  private readonly display: Histogram = createHistogram();
  requests = 0;
  stalls = 0;
  stallMs = 0;
  playedMs = 0;

  /** NaN (frames without a server timestamp) is not recorded: display latency is then absent. */
  readonly recordDisplayLatency: DisplayLatencySink = (ms) => {
    if (ms === ms) recordUs(this.display, Math.round(ms * 1000));
  };

  add(outcome: PlaybackOutcome): void {
    this.requests++;
    this.stalls += outcome.stalls;
    this.stallMs += outcome.stallMs;
    this.playedMs += outcome.playedMs;
    if (outcome.startupMs !== null) recordUs(this.startup, Math.round(outcome.startupMs * 1000));
  }

  merge(other: PlaybackAccumulator): void {
    this.requests += other.requests;
    this.stalls += other.stalls;
    this.stallMs += other.stallMs;
    this.playedMs += other.playedMs;
    this.startup.add(other.startup);
    this.display.add(other.display);
  }

  /** displayLatency is present only when some display latency was recorded. */
  summary(): PlaybackSummary {
    const out: PlaybackSummary = {
      startupMs: summarize(this.startup),
      stalls: this.stalls,
      stallRatio: round(stallRatio(this.stallMs, this.playedMs), 6),
      stallMs: round(this.stallMs, 3),
      playedMs: round(this.playedMs, 3),
    };
    if (this.display.totalCount > 0) out.displayLatency = summarize(this.display);
    return out;
  }
}
