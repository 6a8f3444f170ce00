// Live metrics of one bench process in Prometheus format, labelled with the run id and shard:
// counters, gauges and latency/lateness histograms, all updated once per window from the
// collector's ticks (never per frame), plus the process's own default metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { TimeseriesPoint } from '../results/types.js';
import { BucketCounts } from './hdr-buckets.js';

export interface LiveLabels {
  run_id: string;
  /** "2/4" for a shard, "1/1" for a single run. */
  shard: string;
  scenario: string;
}

/** A prom-client metric whose histogram values come from bucket counts kept elsewhere. */
class WindowHistogram {
  readonly buckets = new Map<string, BucketCounts>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  add(cell: string, base64: string | undefined): void {
    if (!base64) return;
    let b = this.buckets.get(cell);
    if (!b) this.buckets.set(cell, (b = new BucketCounts()));
    b.addEncoded(base64);
  }

  get(): { name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Array<{ value: number; labels: Record<string, string>; metricName: string }> } {
    const values: Array<{ value: number; labels: Record<string, string>; metricName: string }> = [];
    for (const [cell, b] of this.buckets) {
      for (const [le, n] of b.cumulative()) values.push({ metricName: `${this.name}_bucket`, labels: { cell, le }, value: n });
      values.push({ metricName: `${this.name}_sum`, labels: { cell }, value: Math.round(b.sum * 1e6) / 1e6 });
      values.push({ metricName: `${this.name}_count`, labels: { cell }, value: b.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}

/** Most cells a process reports labels for (bounded label sets); later cells share the last label. */
export const MAX_CELL_LABELS = 200;

export class LiveMetrics {
  readonly registry = new Registry();
  private readonly cells = new Set<string>();
  private readonly latency = new WindowHistogram('framebench_frame_latency_seconds', 'Frame latency (receive time − due time in the frame header), per window');
  private readonly lateness = new WindowHistogram('framebench_frame_lateness_seconds', 'Frame lateness (receive time − scheduled time, no coordinated omission)');
  private readonly c: Record<'frames' | 'bytes' | 'errors' | 'lost' | 'reconnects' | 'windows', Counter<'cell'>>;
  private readonly g: Record<'fps' | 'connections' | 'cpu' | 'loop' | 'up', Gauge<'cell'>>;

  constructor(labels: LiveLabels) {
    this.registry.setDefaultLabels({ ...labels });
    const counter = (name: string, help: string): Counter<'cell'> => new Counter({ name, help, labelNames: ['cell'], registers: [this.registry] });
    const gauge = (name: string, help: string): Gauge<'cell'> => new Gauge({ name, help, labelNames: ['cell'], registers: [this.registry] });
    this.c = {
      frames: counter('framebench_frames_received_total', 'Frames received in measured windows'),
      bytes: counter('framebench_bytes_received_total', 'Bytes of frames received in measured windows'),
      errors: counter('framebench_errors_total', 'Client-side errors (connect failures, protocol errors, lost connections)'),
      lost: counter('framebench_frames_lost_total', 'Frames that were due and never came'),
      reconnects: counter('framebench_reconnects_total', 'Successful reconnects'),
      windows: counter('framebench_windows_total', 'Per-second windows closed'),
    };
    this.g = {
      fps: gauge('framebench_frames_per_second', 'Frames/s of the last window'),
      connections: gauge('framebench_connections', 'Open client connections'),
      cpu: gauge('framebench_harness_cpu_percent', 'CPU of the busiest harness process in the last window, % of one core'),
      loop: gauge('framebench_harness_event_loop_delay_p99_seconds', 'Worst harness event-loop delay p99 in the last window'),
      up: gauge('framebench_measuring', '1 while a cell is in its measured window'),
    };
    this.registry.registerMetric(this.latency as never);
    this.registry.registerMetric(this.lateness as never);
    collectDefaultMetrics({ register: this.registry, prefix: 'framebench_process_' });
  }

  private label(cell: string): string {
    if (this.cells.has(cell) || this.cells.size < MAX_CELL_LABELS) {
      this.cells.add(cell);
      return cell;
    }
    return 'other';
  }

  /** One closed window of a cell. */
  window(cellId: string, p: TimeseriesPoint, connections: number): void {
    const cell = this.label(cellId);
    const sec = p.durationSec ?? 1;
    this.c.frames.inc({ cell }, Math.round(p.framesPerSec * sec));
    this.c.bytes.inc({ cell }, Math.round(p.bytesPerSec * sec));
    this.c.errors.inc({ cell }, p.errors);
    this.c.lost.inc({ cell }, p.lost ?? 0);
    this.c.reconnects.inc({ cell }, p.reconnects ?? 0);
    this.c.windows.inc({ cell });
    this.g.fps.set({ cell }, p.framesPerSec);
    this.g.connections.set({ cell }, connections);
    this.g.up.set({ cell }, 1);
    if (p.harnessCpuPct !== undefined) this.g.cpu.set({ cell }, p.harnessCpuPct);
    if (p.loopDelayP99Ms !== undefined) this.g.loop.set({ cell }, p.loopDelayP99Ms / 1000);
    this.latency.add(cell, p.hdr);
    this.lateness.add(cell, p.latenessHdr);
  }

  cellEnded(cellId: string): void {
    const cell = this.label(cellId);
    this.g.up.set({ cell }, 0);
    this.g.connections.set({ cell }, 0);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
