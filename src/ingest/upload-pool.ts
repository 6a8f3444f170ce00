// Runs one upload cell: starts the cameras over the ramp-up (each at its own phase within a frame
// interval), warms up, measures, then stops the schedules, lets the server answer what it holds
// (up to the drain timeout) and closes. One timer closes the per-second windows and reads the
// server's /stats for its buffer depth, 429s and retries.
import { EventEmitter } from 'node:events';
import type { ClientOptions } from 'ws';
import type { ReconnectPolicy } from '../client/client-context.js';
import type { PoolEvents } from '../client/pool-options.js';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import type { RunEvent } from '../results/types.js';
import { mulberry32 } from '../random.js';
import type { ServerStatsTracker } from './server-stats-poll.js';
import { UploadClient, type MeasureWindow } from './upload-client.js';
import { UploadCollector, type UploadSnapshot } from './upload-collector.js';
import { phaseOffsetMs } from './upload-schedule.js';
import type { BinaryFrameTemplate, JsonFrameTemplate } from './wire.js';
import type { WireShape } from './wire-shape.js';
import type { IngestPoint } from '../results/ingest.js';

export interface UploadPoolOptions {
  url: string;
  clients: number;
  fps: number;
  binary: boolean;
  templates: ReadonlyArray<JsonFrameTemplate | BinaryFrameTemplate>;
  rampUpMs: number;
  warmupMs: number;
  durationMs: number;
  drainTimeoutMs: number;
  maxBufferedBytes: number;
  maxBacklog: number;
  reconnect: ReconnectPolicy;
  wsOptions?: ClientOptions;
  seed: number;
  localAddresses?: string[];
  signal?: AbortSignal;
  /** The server's stats, read once per second when given. */
  stats?: ServerStatsTracker;
  /** A foreign server's field names (default: the reference wire format). */
  shape?: WireShape;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class UploadPool extends EventEmitter<PoolEvents> {
  readonly collector = new UploadCollector();
  connections = 0;
  private readonly clients: UploadClient[] = [];
  private readonly window: MeasureWindow = { startMs: Infinity, endMs: Infinity };
  private readonly monitor = new HarnessMonitor();

  constructor(private readonly opts: UploadPoolOptions) {
    super();
  }

  get events(): RunEvent[] {
    return this.collector.events;
  }

  /** Chaos: destroys the sockets of the chosen open cameras; returns how many were hit. */
  killClients(pick: (n: number) => number[]): number {
    const open = this.clients.filter((c) => c.phase === 'open');
    let hit = 0;
    for (const i of pick(open.length)) if (open[i]?.kill()) hit++;
    return hit;
  }

  /** The server's own totals from the cameras' done messages. */
  serverDoneTotals(): { connections: number; received: number; covered: number; dropped: number } {
    const out = { connections: 0, received: 0, covered: 0, dropped: 0 };
    for (const c of this.clients) {
      if (!c.serverDone) continue;
      out.connections++;
      out.received += c.serverDone.received;
      out.covered += c.serverDone.covered;
      out.dropped += c.serverDone.dropped;
    }
    return out;
  }

  async run(): Promise<UploadSnapshot> {
    const o = this.opts;
    const random = mulberry32(o.seed);
    const intervalMs = 1000 / o.fps;
    const ctx = {
      url: o.url,
      wsOptions: { perMessageDeflate: false, handshakeTimeout: 10_000, ...o.wsOptions },
      collector: this.collector,
      fps: o.fps,
      binary: o.binary,
      templates: o.templates,
      maxBufferedBytes: o.maxBufferedBytes,
      maxBacklog: o.maxBacklog,
      reconnect: o.reconnect,
      random,
      window: this.window,
      localAddresses: o.localAddresses,
      shape: o.shape,
      onConnection: (d: 1 | -1) => {
        this.connections += d;
      },
    };
    const t0 = performance.now();
    this.monitor.start();
    const ticker = setInterval(() => this.tick(), 1000);
    this.emit('phase', 'ramp-up');
    for (let i = 0; i < o.clients && !o.signal?.aborted; i++) {
      await sleep(t0 + (o.rampUpMs * i) / o.clients - performance.now(), o.signal);
      const c = new UploadClient(i, ctx, phaseOffsetMs(i, intervalMs));
      this.clients.push(c);
      c.start();
    }
    this.emit('phase', 'warm-up');
    await sleep(t0 + o.rampUpMs + o.warmupMs - performance.now(), o.signal);
    if (!o.signal?.aborted) {
      this.window.startMs = performance.now();
      this.collector.startMeasuring();
      this.emit('phase', 'measure');
      await sleep(o.durationMs, o.signal);
    }
    this.window.endMs = performance.now();
    for (const c of this.clients) c.stopSending();
    this.emit('phase', 'drain');
    const drained = Promise.all(this.clients.map((c) => c.whenIdle()));
    await Promise.race([drained, sleep(o.drainTimeoutMs)]);
    clearInterval(ticker);
    await this.poll();
    this.tick();
    this.collector.stopMeasuring(this.connections, this.monitor.sample());
    this.monitor.stop();
    for (const c of this.clients) c.close();
    await sleep(50);
    this.emit('phase', 'done');
    return this.collector.snapshot();
  }

  private polling = false;
  private serverPoint: Pick<IngestPoint, 'bufferDepth' | 'api429' | 'retries' | 'serverDropped' | 'inflight'> | undefined;

  /** Reads the server's stats in the background; a window takes the latest reading (a busy server does not stretch windows). */
  private poll(): Promise<void> {
    const tracker = this.opts.stats;
    if (!tracker || this.polling) return Promise.resolve();
    this.polling = true;
    return tracker
      .poll()
      .then((s) => {
        if (!s) return;
        const d = tracker.delta();
        const prev = this.serverPoint;
        this.serverPoint = { bufferDepth: s.bufferDepth, inflight: s.inflight, api429: (prev?.api429 ?? 0) + d.api429, retries: (prev?.retries ?? 0) + d.retries, serverDropped: (prev?.serverDropped ?? 0) + d.framesDropped };
      })
      .finally(() => {
        this.polling = false;
      });
  }

  private tick(): void {
    const server = this.serverPoint;
    // the counters since the last window are consumed by it; the gauges stay until the next reading
    if (server) this.serverPoint = { bufferDepth: server.bufferDepth, inflight: server.inflight, api429: 0, retries: 0, serverDropped: 0 };
    const point = this.collector.tick(this.connections, server, this.monitor.sample());
    const std = this.collector.lastPoint();
    if (point && std) this.emit('tick', std);
    void this.poll();
  }
}
