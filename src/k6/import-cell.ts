// One cell being rebuilt from k6 samples: HDR histograms fed from the Trend samples, counters
// summed, and per-second windows keyed by wall-clock second, so samples of several k6 runners of
// the same test land in the same windows. Bounded: at most HOT_WINDOWS windows hold a decoded
// histogram; the others are kept compressed and decoded again when a late sample arrives.
import { createHistogram, decodeHistogram, encodeHistogram, recordUs, type Histogram } from '../metrics/hdr.js';
import type { TimeseriesPoint } from '../results/types.js';
import { UsageError } from '../errors.js';
import { addErrorKind } from '../metrics/error-kinds.js';

const HOT_WINDOWS = 16;
/** Per-second windows one cell may span (a day); longer k6 runs are not one framebench cell. */
export const MAX_CELL_SECONDS = 86_400;

interface Window {
  sec: number;
  hist?: Histogram;
  encoded?: string;
  /** Frame latency samples in this second. */
  frames: number;
  /** frame_bytes samples in this second (one per frame; present even without server timestamps). */
  byteSamples: number;
  bytes: number;
  errors: number;
  lost: number;
  reconnects: number;
}

export type CounterName =
  | 'framesReceived'
  | 'framesExpected'
  | 'framesLost'
  | 'framesDuplicated'
  | 'frameBytes'
  | 'requests'
  | 'requestsCompleted'
  | 'stalls'
  | 'stallTime'
  | 'playedTime'
  | 'reconnects'
  | 'connectFailures'
  | 'errors'
  | 'legacyFrames'
  | 'messagesBinary'
  | 'messagesText';

export type TrendName = 'frame' | 'lateness' | 'firstFrame' | 'connect' | 'startup' | 'displayLatency' | 'gap' | 'timeToDone';

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export class ImportedCell {
  readonly trends: Record<TrendName, Histogram> = {
    frame: createHistogram(),
    lateness: createHistogram(),
    firstFrame: createHistogram(),
    connect: createHistogram(),
    startup: createHistogram(),
    displayLatency: createHistogram(),
    gap: createHistogram(),
    timeToDone: createHistogram(),
  };
  readonly counters: Record<CounterName, number> = {
    framesReceived: 0,
    framesExpected: 0,
    framesLost: 0,
    framesDuplicated: 0,
    frameBytes: 0,
    requests: 0,
    requestsCompleted: 0,
    stalls: 0,
    stallTime: 0,
    playedTime: 0,
    reconnects: 0,
    connectFailures: 0,
    errors: 0,
    legacyFrames: 0,
    messagesBinary: 0,
    messagesText: 0,
  };
  /** Metrics seen at least once, by counter name (tells "0" from "not emitted"). */
  readonly seen = new Set<string>();
  /** Bounded and sanitised by the shared error-kind rules (k6 tags are the script's input). */
  readonly errorsByKind: Record<string, number> = {};
  /** Negative latency samples (k6's 1 ms clock): recorded as 0. */
  negative = 0;
  firstMs = Number.POSITIVE_INFINITY;
  lastMs = Number.NEGATIVE_INFINITY;
  firstFrameMs = Number.POSITIVE_INFINITY;
  lastFrameMs = Number.NEGATIVE_INFINITY;
  /** frame_bytes samples: frames of the measured window, with or without a server timestamp. */
  byteSamples = 0;
  private readonly windows = new Map<number, Window>();
  private readonly hot: Window[] = [];

  constructor(
    readonly id: string,
    readonly repeat: number,
  ) {}

  private window(timeMs: number): Window {
    const sec = Math.floor(timeMs / 1000);
    let w = this.windows.get(sec);
    if (!w) {
      if (this.windows.size >= MAX_CELL_SECONDS) {
        throw new UsageError(`cell ${this.id}: samples span more than ${MAX_CELL_SECONDS} seconds (one day); import the runs of each day separately`);
      }
      w = { sec, frames: 0, byteSamples: 0, bytes: 0, errors: 0, lost: 0, reconnects: 0 };
      this.windows.set(sec, w);
    }
    return w;
  }

  private histogramOf(w: Window): Histogram {
    if (w.hist) return w.hist;
    w.hist = w.encoded ? decodeHistogram(w.encoded) : createHistogram();
    w.encoded = undefined;
    this.hot.push(w);
    if (this.hot.length > HOT_WINDOWS) {
      const cold = this.hot.shift() as Window;
      cold.encoded = encodeHistogram(cold.hist as Histogram);
      cold.hist?.destroy();
      cold.hist = undefined;
    }
    return w.hist;
  }

  private touch(timeMs: number): void {
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
  }

  trend(name: TrendName, timeMs: number, valueMs: number): void {
    this.touch(timeMs);
    this.seen.add(name);
    if (valueMs < 0) this.negative++;
    const us = Math.round(valueMs * 1000);
    recordUs(this.trends[name], us);
    if (name === 'frame') {
      const w = this.window(timeMs);
      recordUs(this.histogramOf(w), us);
      w.frames++;
      this.frameAt(timeMs);
    }
  }

  private frameAt(timeMs: number): void {
    if (timeMs < this.firstFrameMs) this.firstFrameMs = timeMs;
    if (timeMs > this.lastFrameMs) this.lastFrameMs = timeMs;
  }

  /** Frames of the measured window: frame_bytes samples when the output has them, else latency samples. */
  get windowFrames(): number {
    return this.seen.has('frameBytes') ? this.byteSamples : this.trends.frame.totalCount;
  }

  counter(name: CounterName, timeMs: number, value: number, kind?: string): void {
    this.touch(timeMs);
    this.seen.add(name);
    this.counters[name] += value;
    if (name === 'frameBytes') {
      const w = this.window(timeMs);
      w.bytes += value;
      w.byteSamples++;
      this.byteSamples++;
      this.frameAt(timeMs);
    } else if (name === 'framesLost') this.window(timeMs).lost += value;
    else if (name === 'reconnects') this.window(timeMs).reconnects += value;
    else if (name === 'errors') {
      this.window(timeMs).errors += value;
      addErrorKind(this.errorsByKind, kind ?? 'error', value);
    }
  }

  /** Windows from the first to the last second with frames or counters, t = seconds since the first one's start. */
  timeseries(connectionsAt: (sec: number) => number): TimeseriesPoint[] {
    if (this.windows.size === 0) return [];
    const secs = [...this.windows.keys()];
    const from = Math.min(...secs);
    const to = Math.max(...secs);
    const out: TimeseriesPoint[] = [];
    for (let sec = from; sec <= to; sec++) {
      const w = this.windows.get(sec);
      const h = w ? (w.hist ?? (w.encoded ? decodeHistogram(w.encoded) : createHistogram())) : createHistogram();
      out.push({
        t: sec - from + 1,
        durationSec: 1,
        framesPerSec: r1((this.seen.has('frameBytes') ? w?.byteSamples : w?.frames) ?? 0),
        bytesPerSec: Math.round(w?.bytes ?? 0),
        p50: h.totalCount ? r3(h.getValueAtPercentile(50) / 1000) : 0,
        p99: h.totalCount ? r3(h.getValueAtPercentile(99) / 1000) : 0,
        connections: connectionsAt(sec),
        errors: w?.errors ?? 0,
        lost: w?.lost ?? 0,
        reconnects: w?.reconnects ?? 0,
        hdr: encodeHistogram(h),
      });
      if (h !== w?.hist) h.destroy();
    }
    return out;
  }

  destroy(): void {
    for (const h of Object.values(this.trends)) h.destroy();
    for (const w of this.hot) w.hist?.destroy();
  }
}
