// Metrics of one upload cell, fed by the cameras: HDR histograms (capture → answer, send lateness,
// ack, model time per answer, batch size, context size), the accounting counters, and one-second
// windows rolled by a single timer.
import { createHistogram, encodeHistogram, recordUs, summarize, type Histogram } from '../metrics/hdr.js';
import type { HarnessSample } from '../metrics/harness-monitor.js';
import type { LatencySummary, RunEvent, TimeseriesPoint } from '../results/types.js';
import type { IngestAccounting, IngestPoint } from '../results/ingest.js';
import { rollUp } from '../metrics/windows.js';

/** Records a plain value (a count, characters) as is: integers below 2048 are exact in the HDR buckets. */
function recordValue(h: Histogram, value: number): void {
  recordUs(h, Math.round(value));
}

/** Summary of a histogram of plain values, in the values' own unit (summarize reads µs as ms ÷ 1000). */
function valueSummary(h: Histogram): LatencySummary {
  const s = summarize(h);
  const k = (x: number): number => Math.round(x * 1000 * 1000) / 1000;
  return { ...s, min: k(s.min), mean: k(s.mean), p50: k(s.p50), p90: k(s.p90), p95: k(s.p95), p99: k(s.p99), p999: k(s.p999), max: k(s.max) };
}

/**
 * Pairs of consecutive windows merged into one (bounded memory on long runs): rates averaged, counts
 * summed, lag percentiles the worse of the two (the per-window histograms live in `timeseries`).
 */
export function rollUpIngest(points: readonly IngestPoint[]): IngestPoint[] {
  const out: IngestPoint[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const a = points[i]!;
    const b = points[i + 1];
    if (!b) {
      out.push(a);
      continue;
    }
    const avg = (x: number, y: number): number => Math.round(((x + y) / 2) * 10) / 10;
    const add = (x?: number, y?: number): number | undefined => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
    out.push({
      t: b.t,
      sentPerSec: avg(a.sentPerSec, b.sentPerSec),
      answersPerSec: avg(a.answersPerSec, b.answersPerSec),
      coveredPerSec: avg(a.coveredPerSec, b.coveredPerSec),
      dropped: a.dropped + b.dropped,
      lost: a.lost + b.lost,
      lagP50: Math.max(a.lagP50, b.lagP50),
      lagP99: Math.max(a.lagP99, b.lagP99),
      latenessP99: Math.max(a.latenessP99, b.latenessP99),
      bytesPerSec: Math.round((a.bytesPerSec + b.bytesPerSec) / 2),
      connections: b.connections,
      ...(b.bufferDepth !== undefined ? { bufferDepth: b.bufferDepth } : {}),
      ...(b.inflight !== undefined ? { inflight: b.inflight } : {}),
      ...(add(a.api429, b.api429) !== undefined ? { api429: add(a.api429, b.api429) } : {}),
      ...(add(a.retries, b.retries) !== undefined ? { retries: add(a.retries, b.retries) } : {}),
      ...(add(a.serverDropped, b.serverDropped) !== undefined ? { serverDropped: add(a.serverDropped, b.serverDropped) } : {}),
    });
  }
  return out;
}

export interface UploadSnapshot {
  accounting: IngestAccounting;
  answers: number;
  acks: number;
  bytesSent: number;
  /** Messages the cameras received from the server while measuring. */
  messagesText: number;
  messagesBinary: number;
  connects: number;
  connectFailures: number;
  reconnects: number;
  errors: number;
  errorsByKind: Record<string, number>;
  serverErrors: Record<string, number>;
  latencyMs: { answerLag: LatencySummary; sendLateness: LatencySummary; ack: LatencySummary; modelApi: LatencySummary; connect: LatencySummary; firstAnswer: LatencySummary };
  batchSize: LatencySummary;
  contextChars: LatencySummary;
  timeseries: TimeseriesPoint[];
  ingestSeries: IngestPoint[];
  events: RunEvent[];
  measuredSec: number;
}

export class UploadCollector {
  measuring = false;
  readonly events: RunEvent[] = [];
  readonly errorsByKind: Record<string, number> = {};
  readonly serverErrors: Record<string, number> = {};
  readonly droppedByReason: Record<string, number> = {};
  due = 0;
  sent = 0;
  unsent = 0;
  covered = 0;
  dropped = 0;
  lost = 0;
  duplicates = 0;
  answers = 0;
  acks = 0;
  bytesSent = 0;
  connects = 0;
  messagesText = 0;
  messagesBinary = 0;
  connectFailures = 0;
  reconnects = 0;
  errors = 0;
  private readonly lag = createHistogram();
  private readonly lagWindow = createHistogram();
  private readonly lateness = createHistogram();
  private readonly latenessWindow = createHistogram();
  private readonly ack = createHistogram();
  private readonly modelApi = createHistogram();
  private readonly connect = createHistogram();
  private readonly firstAnswer = createHistogram();
  private readonly batch = createHistogram();
  private readonly context = createHistogram();
  private readonly timeseries: TimeseriesPoint[] = [];
  private readonly ingestSeries: IngestPoint[] = [];
  private w = { sent: 0, answers: 0, covered: 0, dropped: 0, lost: 0, bytes: 0, errors: 0 };
  private startMs = 0;
  private lastTickMs = 0;
  private endMs = 0;

  /** Windows kept; beyond it, consecutive pairs are merged (long runs keep bounded memory and their whole span). */
  constructor(private readonly maxWindows = 1200) {}

  startMeasuring(): void {
    this.measuring = true;
    this.startMs = this.lastTickMs = performance.now();
  }

  stopMeasuring(connections: number, harness?: HarnessSample): void {
    if (!this.measuring) return;
    if (performance.now() - this.lastTickMs > 50) this.tick(connections, undefined, harness);
    this.measuring = false;
    this.endMs = performance.now();
  }

  frameDue(n = 1): void {
    this.due += n;
  }

  frameSent(latenessMs: number, bytes: number): void {
    this.sent++;
    this.bytesSent += bytes;
    this.w.sent++;
    this.w.bytes += bytes;
    recordUs(this.lateness, latenessMs * 1000);
    recordUs(this.latenessWindow, latenessMs * 1000);
  }

  framesUnsent(n: number): void {
    this.unsent += n;
  }

  acked(sinceCaptureMs: number): void {
    this.acks++;
    recordUs(this.ack, sinceCaptureMs * 1000);
  }

  /** An answer arrived; `measuredLags` are the capture → answer times of the measured frames it covered. */
  answer(a: { batchSize: number; contextChars?: number; modelMs?: number }): void {
    this.answers++;
    this.w.answers++;
    recordValue(this.batch, a.batchSize);
    if (typeof a.contextChars === 'number') recordValue(this.context, a.contextChars);
    if (typeof a.modelMs === 'number') recordUs(this.modelApi, a.modelMs * 1000);
  }

  frameCovered(lagMs: number): void {
    this.covered++;
    this.w.covered++;
    recordUs(this.lag, lagMs * 1000);
    recordUs(this.lagWindow, lagMs * 1000);
  }

  frameDropped(reason: string): void {
    this.dropped++;
    this.w.dropped++;
    this.droppedByReason[reason] = (this.droppedByReason[reason] ?? 0) + 1;
  }

  framesLost(n: number): void {
    this.lost += n;
    this.w.lost += n;
  }

  message(isBinary: boolean): void {
    if (!this.measuring) return;
    if (isBinary) this.messagesBinary++;
    else this.messagesText++;
  }

  duplicate(): void {
    this.duplicates++;
  }

  connected(ms: number): void {
    this.connects++;
    recordUs(this.connect, ms * 1000);
  }

  reconnected(): void {
    this.reconnects++;
  }

  firstAnswerAfter(ms: number): void {
    recordUs(this.firstAnswer, ms * 1000);
  }

  connectFailed(kind: string): void {
    this.connectFailures++;
    this.error(kind);
  }

  error(kind: string): void {
    this.errors++;
    this.w.errors++;
    this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
  }

  serverError(code: string): void {
    this.serverErrors[code] = (this.serverErrors[code] ?? 0) + 1;
  }

  event(kind: string, detail: string): void {
    const t = this.measuring ? (performance.now() - this.startMs) / 1000 : 0;
    this.events.push({ t: Math.round(t * 1000) / 1000, kind, detail });
  }

  secondsNow(): number {
    return (performance.now() - this.startMs) / 1000;
  }

  /** Closes the one-second window; `server` adds the server's figures for it when known. */
  tick(connections: number, server?: Pick<IngestPoint, 'bufferDepth' | 'api429' | 'retries' | 'serverDropped' | 'inflight'>, harness?: HarnessSample): IngestPoint | undefined {
    if (!this.measuring) return undefined;
    const now = performance.now();
    const sec = (now - this.lastTickMs) / 1000;
    if (sec <= 0) return undefined;
    const t = Math.round(((now - this.startMs) / 1000) * 1000) / 1000;
    const lw = this.lagWindow;
    const p = (h: Histogram, q: number): number => (h.totalCount ? h.getValueAtPercentile(q) / 1000 : 0);
    const point: IngestPoint = {
      t,
      sentPerSec: Math.round((this.w.sent / sec) * 10) / 10,
      answersPerSec: Math.round((this.w.answers / sec) * 10) / 10,
      coveredPerSec: Math.round((this.w.covered / sec) * 10) / 10,
      dropped: this.w.dropped,
      lost: this.w.lost,
      lagP50: p(lw, 50),
      lagP99: p(lw, 99),
      latenessP99: p(this.latenessWindow, 99),
      bytesPerSec: Math.round(this.w.bytes / sec),
      connections,
      ...server,
    };
    this.timeseries.push({
      t,
      durationSec: Math.round(sec * 1000) / 1000,
      hdr: encodeHistogram(lw),
      framesPerSec: point.coveredPerSec,
      bytesPerSec: point.bytesPerSec,
      p50: point.lagP50,
      p99: point.lagP99,
      connections,
      errors: this.w.errors,
      lost: this.w.lost + this.w.dropped,
      ...(harness ? { harnessCpuPct: harness.cpuPct, loopDelayP99Ms: harness.loopDelayP99Ms, loopStallMs: harness.loopStallMs } : {}),
    });
    this.ingestSeries.push(point);
    if (this.ingestSeries.length > this.maxWindows) {
      const rolled = rollUpIngest(this.ingestSeries);
      this.ingestSeries.length = 0;
      this.ingestSeries.push(...rolled);
      const std = rollUp(this.timeseries, rolled.length);
      this.timeseries.length = 0;
      this.timeseries.push(...std);
    }
    lw.reset();
    this.latenessWindow.reset();
    this.w = { sent: 0, answers: 0, covered: 0, dropped: 0, lost: 0, bytes: 0, errors: 0 };
    this.lastTickMs = now;
    return point;
  }

  /** The latest closed window in the shape of the results' per-second series. */
  lastPoint(): TimeseriesPoint | undefined {
    return this.timeseries[this.timeseries.length - 1];
  }

  snapshot(): UploadSnapshot {
    const accounting: IngestAccounting = {
      due: this.due,
      sent: this.sent,
      unsent: this.unsent,
      covered: this.covered,
      dropped: this.dropped,
      droppedByReason: { ...this.droppedByReason },
      lost: this.lost,
      duplicates: this.duplicates,
      balanced: this.sent === this.covered + this.dropped + this.lost,
    };
    const end = this.measuring ? performance.now() : this.endMs;
    return {
      accounting,
      answers: this.answers,
      acks: this.acks,
      bytesSent: this.bytesSent,
      messagesText: this.messagesText,
      messagesBinary: this.messagesBinary,
      connects: this.connects,
      connectFailures: this.connectFailures,
      reconnects: this.reconnects,
      errors: this.errors,
      errorsByKind: { ...this.errorsByKind },
      serverErrors: { ...this.serverErrors },
      latencyMs: {
        answerLag: summarize(this.lag),
        sendLateness: summarize(this.lateness),
        ack: summarize(this.ack),
        modelApi: summarize(this.modelApi),
        connect: summarize(this.connect),
        firstAnswer: summarize(this.firstAnswer),
      },
      batchSize: valueSummary(this.batch),
      contextChars: valueSummary(this.context),
      timeseries: [...this.timeseries],
      ingestSeries: [...this.ingestSeries],
      events: [...this.events],
      measuredSec: Math.max(0, (end - this.startMs) / 1000),
    };
  }
}
