// Viewer-side playback model of one streamed request, driven incrementally by frame arrivals.
//
// Frames arrive in display order and fill a buffer. Playback starts (and, after an underrun,
// resumes) at the arrival that brings the buffer to `bufferDepth` frames; the frame at the head
// is shown at that moment and the next ones every 1000/fps ms. When a frame is due and none is
// buffered, a stall starts at that due time. An arrival exactly at a due time is in time.
// When the stream ends (`finish(endMs)`) whatever is buffered plays out without waiting for
// `bufferDepth`: a stream shorter than `bufferDepth`, or a stall the remaining frames cannot
// refill, starts or resumes at endMs. An underrun after which no frame is ever shown is the end
// of the stream, not a stall.
//
// Definitions (one request; metrics/playback.ts sums stallMs and playedMs across requests):
//   startupMs     = first display time − startMs (null when no frame arrived)
//   playedMs      = framesDisplayed × 1000/fps (each shown frame holds the screen one interval)
//   stallRatio    = stallMs / (stallMs + playedMs), 0 when both are 0
//   display latency (per frame, to the sink) = display time − server time from the frame header;
//   both must be on one clock (offset-corrected by the caller for remote targets).
//
// Hot path: arrive() does no allocation; server times sit in a growable Float64Array ring.
// Arrival times earlier than the previous event are clamped to it.
import { stallRatio, type DisplayLatencySink, type PlaybackOutcome } from '../metrics/playback.js';

export interface PlaybackOptions {
  /** Frames buffered before playback starts or resumes (integer ≥ 1). */
  bufferDepth: number;
  fps: number;
  /** Request start (ms, same clock as arrivals): startup delay is measured from here. */
  startMs: number;
}

/** Frames buffered before the ring grows: 8 doubles stay inside the V8 heap (no backing store per client). */
const INITIAL_CAPACITY = 8;

function validate(bufferDepth: number, fps: number): void {
  if (!Number.isInteger(bufferDepth) || bufferDepth < 1) throw new RangeError(`bufferDepth must be an integer ≥ 1, got ${bufferDepth}`);
  if (!Number.isFinite(fps) || fps <= 0) throw new RangeError(`fps must be a positive number, got ${fps}`);
}

export class PlaybackModel {
  private bufferDepth = 1;
  private fps = 1;
  private intervalMs = 1000;
  private startMs = 0;
  private ring = new Float64Array(INITIAL_CAPACITY);
  private head = 0;
  private size = 0;
  private lastMs = 0;
  private playing = false;
  private finished = false;
  private firstDisplayMs = Number.NaN;
  private segmentStartMs = 0;
  private slot = 0;
  private stallStartMs = Number.NaN;
  private stalls = 0;
  private stallMs = 0;
  private arrived = 0;
  private displayed = 0;

  constructor(
    opts: PlaybackOptions,
    private readonly sink?: DisplayLatencySink,
  ) {
    this.reset(opts.startMs, opts);
  }

  /** Starts a new request on this instance, keeping the ring buffer; depth and fps default to the current ones. */
  reset(startMs: number, opts?: { bufferDepth?: number; fps?: number }): void {
    const bufferDepth = opts?.bufferDepth ?? this.bufferDepth;
    const fps = opts?.fps ?? this.fps;
    validate(bufferDepth, fps);
    this.bufferDepth = bufferDepth;
    this.fps = fps;
    this.intervalMs = 1000 / fps;
    this.startMs = startMs;
    this.lastMs = startMs;
    this.head = 0;
    this.size = 0;
    this.playing = false;
    this.finished = false;
    this.firstDisplayMs = Number.NaN;
    this.segmentStartMs = 0;
    this.slot = 0;
    this.stallStartMs = Number.NaN;
    this.stalls = 0;
    this.stallMs = 0;
    this.arrived = 0;
    this.displayed = 0;
  }

  /** Frames currently buffered (arrived, not yet shown) as of the last event. */
  get buffered(): number {
    return this.size;
  }

  arrive(arrivalMs: number, serverTimeMs: number): void {
    if (this.finished) throw new Error('PlaybackModel.arrive after finish; call reset() first');
    const t = arrivalMs > this.lastMs ? arrivalMs : this.lastMs;
    this.lastMs = t;
    this.advance(t);
    this.push(serverTimeMs);
    this.arrived++;
    if (!this.playing && this.size >= this.bufferDepth) this.begin(t);
  }

  finish(endMs: number): PlaybackOutcome {
    if (this.finished) throw new Error('PlaybackModel.finish called twice; call reset() first');
    this.finished = true;
    const t = endMs > this.lastMs ? endMs : this.lastMs;
    this.lastMs = t;
    this.advance(t);
    if (!this.playing && this.size > 0) this.begin(t);
    while (this.size > 0) this.showNext();
    const playedMs = this.displayed * this.intervalMs;
    return {
      startupMs: Number.isNaN(this.firstDisplayMs) ? null : this.firstDisplayMs - this.startMs,
      stalls: this.stalls,
      stallMs: this.stallMs,
      playedMs,
      stallRatio: stallRatio(this.stallMs, playedMs),
      framesArrived: this.arrived,
      framesDisplayed: this.displayed,
    };
  }

  private dueMs(): number {
    return this.segmentStartMs + this.slot * this.intervalMs;
  }

  /** Shows every frame due strictly before t; on underrun, pauses with the stall starting at the due time. */
  private advance(t: number): void {
    if (!this.playing) return;
    while (this.dueMs() < t) {
      if (this.size === 0) {
        this.playing = false;
        this.stallStartMs = this.dueMs();
        return;
      }
      this.showNext();
    }
  }

  private begin(t: number): void {
    if (Number.isNaN(this.firstDisplayMs)) {
      this.firstDisplayMs = t;
    } else {
      this.stalls++;
      this.stallMs += t - this.stallStartMs;
    }
    this.playing = true;
    this.segmentStartMs = t;
    this.slot = 0;
  }

  private showNext(): void {
    const at = this.dueMs();
    const serverTimeMs = this.ring[this.head] as number;
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.size--;
    this.slot++;
    this.displayed++;
    if (this.sink) this.sink(at - serverTimeMs);
  }

  private push(serverTimeMs: number): void {
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) & (this.ring.length - 1)] = serverTimeMs;
    this.size++;
  }

  private grow(): void {
    const next = new Float64Array(this.ring.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.ring[(this.head + i) & (this.ring.length - 1)] as number;
    this.ring = next;
    this.head = 0;
  }
}

export interface SimulatedPlayback extends PlaybackOutcome {
  displayLatencyMs: number[];
}

/** Runs the model over a whole arrival list; endMs defaults to the last arrival (or startMs). */
export function simulatePlayback(arrivals: ReadonlyArray<{ arrivalMs: number; serverTimeMs: number }>, opts: { bufferDepth: number; fps: number; startMs?: number; endMs?: number }): SimulatedPlayback {
  const startMs = opts.startMs ?? 0;
  const displayLatencyMs: number[] = [];
  const model = new PlaybackModel({ bufferDepth: opts.bufferDepth, fps: opts.fps, startMs }, (ms) => displayLatencyMs.push(ms));
  for (const a of arrivals) model.arrive(a.arrivalMs, a.serverTimeMs);
  const endMs = opts.endMs ?? arrivals.at(-1)?.arrivalMs ?? startMs;
  return { ...model.finish(endMs), displayLatencyMs };
}
