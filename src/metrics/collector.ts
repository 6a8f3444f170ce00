// Per-cell metrics: counters and HDR histograms fed from the clients' hot path, rolled into
// per-second windows by one timer (batched work), and summarised into a CellResult.
import { PlaybackAccumulator } from './playback.js';
import { createHistogram, encodeHistogram, recordUs, summarize, type Histogram } from './hdr.js';
import type { HarnessSample } from './harness-monitor.js';
import { ownCpuUs } from './process-cpu.js';
import { clip } from '../text/sanitize.js';
import { addErrorKind } from './error-kinds.js';
import { nowUs } from '../protocol/clock.js';
import { rollUp } from './windows.js';
import { HOP_KEYS, type HopKey, type HopSummaries } from './hops.js';
import type { CellCounts, RunEvent, TimeseriesPoint } from '../results/types.js';
import { emptyCounts, lossRatio, type CollectorSnapshot } from './collector-snapshot.js';

export { lossRatio, type CollectorSnapshot } from './collector-snapshot.js';

const MAX_EVENT_DETAIL_CHARS = 1000;

export class CellCollector {
  /** True between the end of warm-up and the end of the measurement phase. */
  measuring = false;
  readonly counts: CellCounts = emptyCounts();
  /** At most MAX_ERROR_KINDS kinds (the rest under `other`), each a short printable label. */
  readonly errorsByKind: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly events: RunEvent[] = [];
  readonly timeseries: TimeseriesPoint[] = [];
  /** Viewer model of every measured request (startup, stalls, display latency). */
  readonly playback = new PlaybackAccumulator();

  private readonly frameTotal = createHistogram();
  private readonly frameWindow = createHistogram();
  private readonly lateness = createHistogram();
  private readonly latenessWindow = createHistogram();
  private readonly connect = createHistogram();
  private readonly firstFrame = createHistogram();
  private readonly reconnect = createHistogram();
  private readonly gap = createHistogram();
  private readonly timeToDone = createHistogram();
  /** Per measured request: delivered fps (recorded ×1000, so summaries read in fps) and frames received (×1000). */
  private readonly streamFps = createHistogram();
  private readonly streamFrames = createHistogram();
  private streamsAsked = 0;
  private measuredPayload = 0;
  private readonly hops = new Map<HopKey, Histogram>();
  private windowLost = 0;
  private windowReconnects = 0;
  private windowFrames = 0;
  private windowBytes = 0;
  private windowErrors = 0;
  private measuredFrames = 0;
  private measuredBytes = 0;
  private measureStartMs = 0;
  private lastTickMs = 0;
  private measureEndMs = 0;
  private cpuStartUs = 0;
  /** Client time (µs, protocol clock) the measured window ended; undefined while measuring. */
  measureEndUs: number | undefined;

  constructor(
    private readonly clock: () => number = () => performance.now(),
    /** Time-series windows kept; beyond it, windows are rolled up in pairs (bounded memory on long runs). */
    private readonly maxWindows = 1200,
  ) {}

  startMeasuring(): void {
    this.measuring = true;
    this.measureStartMs = this.lastTickMs = this.clock();
    this.cpuStartUs = ownCpuUs();
    this.windowFrames = this.windowBytes = this.windowErrors = this.windowLost = this.windowReconnects = 0;
    this.frameWindow.reset();
    this.latenessWindow.reset();
  }

  stopMeasuring(connections: number, harness?: HarnessSample, tSec?: number): TimeseriesPoint | undefined {
    if (!this.measuring) return undefined;
    const last = this.tick(connections, harness, tSec);
    this.measuring = false;
    this.measureEndMs = this.clock();
    this.counts.clientCpuUs = ownCpuUs() - this.cpuStartUs;
    this.measureEndUs = nowUs();
    return last;
  }

  /**
   * Hot path: one frame received during the measurement window (latency, lateness, throughput).
   * NaN latency (no server timestamp) and NaN gap (first frame of a stream) are not recorded.
   */
  frame(latencyUs: number, latenessUs: number, bytes: number, gapUs = Number.NaN, payloadBytes = bytes): void {
    if (latencyUs === latencyUs) recordUs(this.frameWindow, latencyUs);
    if (gapUs === gapUs) recordUs(this.gap, gapUs);
    this.measuredPayload += payloadBytes;
    recordUs(this.latenessWindow, latenessUs);
    this.windowFrames++;
    this.windowBytes += bytes;
    this.measuredFrames++;
    this.measuredBytes += bytes;
  }

  /** Hot path: one binary / text message arrived (any phase, readable or not; compared with the per-message errors). */
  binaryMessage(): void {
    this.counts.messagesBinary++;
  }

  textMessage(): void {
    this.counts.messagesText++;
  }

  /** One HTTP request of a measured polling request. */
  httpRequest(): void {
    this.counts.httpRequests = (this.counts.httpRequests ?? 0) + 1;
  }

  connected(connectUs: number): void {
    this.counts.connects++;
    recordUs(this.connect, connectUs);
  }

  reconnected(downUs: number): void {
    this.counts.reconnects++;
    this.windowReconnects++;
    recordUs(this.reconnect, downUs);
  }

  resumed(): void {
    this.counts.resumes++;
  }

  connectFailed(kind: string): void {
    this.counts.connectFailures++;
    this.error(kind);
  }

  /** One sample of a topology hop (only while measuring). */
  hop(key: HopKey, us: number): void {
    if (!this.measuring) return;
    let h = this.hops.get(key);
    if (!h) this.hops.set(key, (h = createHistogram()));
    recordUs(h, us);
  }

  firstFrameOf(us: number): void {
    recordUs(this.firstFrame, us);
  }

  /** A measured request ended: time to done (request sent → done or last frame), delivered fps, frames. */
  streamEnded(timeToDoneUs: number, deliveredFps: number, received: number, asked: number): void {
    if (timeToDoneUs === timeToDoneUs) recordUs(this.timeToDone, timeToDoneUs);
    if (deliveredFps === deliveredFps) recordUs(this.streamFps, Math.round(deliveredFps * 1000));
    recordUs(this.streamFrames, received * 1000);
    this.streamsAsked += asked;
  }

  requestStarted(): void {
    this.counts.requests++;
  }

  /**
   * Frame accounting, per request started in the measurement window and followed to its end
   * (done, error, lost connection or drain timeout): expected = received + lost.
   */
  requestEnded(req: { received: number; duplicates: number; bytes: number }, expected: number, completed: boolean): void {
    const c = this.counts;
    c.framesExpected += expected;
    c.framesReceived += Math.min(req.received, expected);
    const lost = Math.max(0, expected - req.received);
    c.framesLost += lost;
    this.windowLost += lost;
    c.framesDuplicated += req.duplicates;
    c.bytesReceived += req.bytes;
    c.lossRatio = lossRatio(c.framesLost, c.framesExpected);
    if (completed) c.requestsCompleted++;
  }

  error(kind: string): void {
    this.counts.errors++;
    this.windowErrors++;
    addErrorKind(this.errorsByKind, kind);
  }

  event(kind: string, detail: string): void {
    const t = this.measuring ? (this.clock() - this.measureStartMs) / 1000 : 0;
    this.events.push({ t: Math.round(t * 1000) / 1000, kind, detail: clip(detail, MAX_EVENT_DETAIL_CHARS) });
  }

  /**
   * Closes the current window; called by a single timer, never per frame. `tSec` names the slot
   * the window ends in (its end on the window grid); default: the time since measuring started.
   */
  tick(connections: number, harness?: HarnessSample, tSec?: number): TimeseriesPoint | undefined {
    if (!this.measuring) return undefined;
    const now = this.clock();
    const elapsed = (now - this.lastTickMs) / 1000;
    if (elapsed <= 0) return undefined;
    const w = this.frameWindow;
    const point: TimeseriesPoint = {
      t: Math.round((tSec ?? (now - this.measureStartMs) / 1000) * 1000) / 1000,
      durationSec: Math.round(elapsed * 1000) / 1000,
      framesPerSec: Math.round((this.windowFrames / elapsed) * 10) / 10,
      bytesPerSec: Math.round(this.windowBytes / elapsed),
      p50: w.totalCount ? w.getValueAtPercentile(50) / 1000 : 0,
      p99: w.totalCount ? w.getValueAtPercentile(99) / 1000 : 0,
      connections,
      errors: this.windowErrors,
      lost: this.windowLost,
      reconnects: this.windowReconnects,
      hdr: encodeHistogram(w),
    };
    if (harness) {
      point.harnessCpuPct = harness.cpuPct;
      point.loopDelayP99Ms = harness.loopDelayP99Ms;
      point.loopStallMs = harness.loopStallMs;
    }
    const emitted: TimeseriesPoint = { ...point, latenessHdr: encodeHistogram(this.latenessWindow) };
    this.frameTotal.add(w);
    this.lateness.add(this.latenessWindow);
    w.reset();
    this.latenessWindow.reset();
    this.windowFrames = this.windowBytes = this.windowErrors = this.windowLost = this.windowReconnects = 0;
    this.lastTickMs = now;
    this.timeseries.push(point);
    if (this.timeseries.length > this.maxWindows) {
      const rolled = rollUp(this.timeseries, this.maxWindows);
      this.timeseries.length = 0;
      this.timeseries.push(...rolled);
    }
    return emitted;
  }

  /** Frame latency of the whole measurement so far (closed windows plus the open one). */
  frameHistogram(): Histogram {
    const h = createHistogram();
    h.add(this.frameTotal);
    h.add(this.frameWindow);
    return h;
  }

  private latenessTotal(): Histogram {
    const h = createHistogram();
    h.add(this.lateness);
    h.add(this.latenessWindow);
    return h;
  }

  measuredSeconds(): number {
    const end = this.measuring ? this.clock() : this.measureEndMs;
    return Math.max(0, (end - this.measureStartMs) / 1000);
  }

  private hopSummaries(): HopSummaries {
    const out: HopSummaries = {};
    for (const k of HOP_KEYS) {
      const h = this.hops.get(k);
      if (h && h.totalCount > 0) out[k] = summarize(h);
    }
    return out;
  }

  snapshot(): CollectorSnapshot {
    const frame = this.frameHistogram();
    const late = this.latenessTotal();
    const snap: CollectorSnapshot = {
      counts: { ...this.counts },
      window: { frames: this.measuredFrames, bytes: this.measuredBytes },
      errorsByKind: { ...this.errorsByKind },
      latencyMs: {
        frame: summarize(frame),
        lateness: summarize(late),
        connect: summarize(this.connect),
        firstFrame: summarize(this.firstFrame),
        ...(this.reconnect.totalCount > 0 ? { reconnect: summarize(this.reconnect) } : {}),
        gap: summarize(this.gap),
        timeToDone: summarize(this.timeToDone),
        ...this.hopSummaries(),
      },
      payloadBytes: this.measuredPayload,
      streams: {
        count: this.streamFrames.totalCount,
        framesAsked: this.streamsAsked,
        deliveredFps: summarize(this.streamFps),
        framesPerRequest: summarize(this.streamFrames),
      },
      playback: this.playback.summary(),
      timeseries: [...this.timeseries],
      events: [...this.events],
      measuredSec: this.measuredSeconds(),
    };
    frame.destroy();
    late.destroy();
    return snap;
  }
}
