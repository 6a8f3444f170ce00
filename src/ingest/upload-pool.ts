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
import { ServerWindows } from './server-windows.js';
import { UploadClient } from './upload-client.js';
import type { MeasureWindow } from './upload-context.js';
import { UploadCollector, type UploadSnapshot } from './upload-collector.js';
import { phaseOffsetMs } from './upload-schedule.js';
import type { BinaryFrameTemplate, JsonFrameTemplate } from './wire.js';
import { endMessage, UploadReader } from '../protocol/adapters/upload.js';
import { REFERENCE_UPLOAD, type UploadProtocolConfig } from '../protocol/adapters/upload-schema.js';
import { stageAt, stagesDurationMs, type Stage } from '../scenario/stages.js';

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
  /** The target's `protocol.upload` (default: the reference ingestion server's wire format). */
  upload?: UploadProtocolConfig;
  /** Global index of this pool's first camera (worker processes run slices of one fleet). */
  indexOffset?: number;
  /** Cameras follow these stages instead of ramp-up/warm-up/duration; the whole span is measured. */
  stages?: Stage[];
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
  private readonly server: ServerWindows;

  constructor(private readonly opts: UploadPoolOptions) {
    super();
    this.server = new ServerWindows(opts.stats);
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

  async run(): Promise<UploadSnapshot> {
    const o = this.opts;
    const random = mulberry32(o.seed);
    const intervalMs = 1000 / o.fps;
    const ctx = {
      url: o.url,
      wsOptions: { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10_000, ...o.wsOptions },
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
      reader: new UploadReader(o.upload ?? REFERENCE_UPLOAD),
      end: endMessage(o.upload ?? REFERENCE_UPLOAD),
      onConnection: (d: 1 | -1) => {
        this.connections += d;
      },
    };
    const t0 = performance.now();
    this.monitor.start();
    const ticker = setInterval(() => this.tick(), 1000);
    const add = (): void => {
      const i = (o.indexOffset ?? 0) + this.clients.length;
      const c = new UploadClient(i, ctx, phaseOffsetMs(i, intervalMs));
      this.clients.push(c);
      c.start();
    };
    if (o.stages) await this.followStages(o.stages, add);
    else {
      this.emit('phase', 'ramp-up');
      for (let i = 0; i < o.clients && !o.signal?.aborted; i++) {
        await sleep(t0 + (o.rampUpMs * i) / o.clients - performance.now(), o.signal);
        add();
      }
      this.emit('phase', 'warm-up');
      await sleep(t0 + o.rampUpMs + o.warmupMs - performance.now(), o.signal);
      if (!o.signal?.aborted) {
        // the window opens when the plan says (with no ramp-up or warm-up: before the first capture)
        this.window.startMs = Math.min(performance.now(), t0 + o.rampUpMs + o.warmupMs);
        this.collector.startMeasuring();
        this.emit('phase', 'measure');
        await sleep(o.durationMs, o.signal);
      }
    }
    this.window.endMs = performance.now();
    for (const c of this.clients) c.stopSending();
    this.emit('phase', 'drain');
    const drained = Promise.all(this.clients.map((c) => c.whenIdle()));
    await Promise.race([drained, sleep(o.drainTimeoutMs)]);
    clearInterval(ticker);
    await this.server.poll();
    this.tick();
    this.collector.stopMeasuring(this.connections, this.monitor.sample());
    this.monitor.stop();
    for (const c of this.clients) c.close();
    await sleep(50);
    this.emit('phase', 'done');
    return this.collector.snapshot();
  }

  /**
   * Soak: the whole span is measured; every 100 ms the number of sending cameras moves to the stage
   * target (new cameras start, the newest ones stop sending: frames not yet due are cut, not lost).
   */
  private async followStages(stages: Stage[], add: () => void): Promise<void> {
    const o = this.opts;
    const start = performance.now();
    this.window.startMs = start;
    this.collector.startMeasuring();
    this.emit('phase', 'measure');
    const total = stagesDurationMs(stages);
    let stage = -1;
    let active = 0;
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= total || o.signal?.aborted) return;
      const at = stageAt(stages, elapsed);
      if (at.index !== stage) {
        stage = at.index;
        this.emit('stage', at.index, stages[at.index]?.target ?? at.target);
      }
      const want = Math.min(at.target, o.clients);
      for (; active < want; active++) {
        const parked = this.clients[active];
        if (parked) parked.resume();
        else add();
      }
      for (; active > want; active--) this.clients[active - 1]?.pause(performance.now());
      await sleep(Math.min(100, total - elapsed), o.signal);
    }
  }

  private tick(): void {
    const point = this.collector.tick(this.connections, this.server.take(), this.monitor.sample());
    const std = this.collector.lastPoint();
    if (point && std) this.emit('tick', std);
    void this.server.poll();
  }
}
