// Runs one cell of load: ramps clients up, warms up, measures for `duration`, drains in-flight
// requests and closes every connection. Progress goes out as events, never as prints.
import { EventEmitter } from 'node:events';
import { CellCollector, type CollectorSnapshot } from '../metrics/collector.js';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import { SlotAligner } from '../metrics/slots.js';
import { nowUs } from '../protocol/clock.js';
import type { RunEvent, TimeseriesPoint } from '../results/types.js';
import { parseDuration } from '../text/duration.js';
import { seededRandom } from './backoff.js';
import { BeatClock } from './beat-clock.js';
import { stageAt, stagesDurationMs, type Stage } from '../scenario/stages.js';
import { NO_RECONNECT, type ClientContext } from './client-context.js';
import type { PoolEvents, PoolOptions } from './pool-options.js';
import { sleep, sleepUntil } from './sleep.js';
import { createLoadClient, loadTransport } from './transports/load-client.js';
import type { LoadClient } from './transports/load-client-type.js';
import { createAdapter, withQuery } from '../protocol/adapters/index.js';

const ms = (d: string | number): number => parseDuration(d) ?? 0;
const ROLLOVER_BATCH = 250;
const ROLLOVER_GAP_MS = 10;

export class ClientPool extends EventEmitter<PoolEvents> {
  readonly collector = new CellCollector();
  connections = 0;
  private readonly clients: LoadClient[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly monitor = new HarnessMonitor();
  private ctx: ClientContext | undefined;
  private created = 0;
  private readonly active: LoadClient[] = [];
  private stageIndex = -1;
  /** Windows on the slot grid: exactly one per window length, also when the event loop stalled across a boundary. */
  private aligner: SlotAligner | undefined;
  private measureStartMs = 0;
  private slot = 0;
  /** When the window open now should close (performance.now() ms). */
  private nextTickMs = 0;

  get events(): RunEvent[] {
    return this.collector.events;
  }

  /** Chaos: abruptly destroys the sockets of the chosen open clients; returns how many were hit. */
  killClients(pick: (n: number) => number[]): number {
    const open = this.clients.filter((c) => c.phase === 'open');
    let hit = 0;
    for (const i of pick(open.length)) if (open[i]?.kill()) hit++;
    return hit;
  }

  constructor(private readonly opts: PoolOptions) {
    super();
  }

  async run(): Promise<CollectorSnapshot> {
    const { params, signal } = this.opts;
    const adapter = await createAdapter(this.opts.protocol);
    await loadTransport(params.transport);
    const upgradeHeaders = adapter.upgrade.headers;
    const wsOptions = { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10_000, ...this.opts.wsOptions };
    if (Object.keys(upgradeHeaders).length) wsOptions.headers = { ...upgradeHeaders, ...wsOptions.headers };
    const ctx: ClientContext = {
      url: withQuery(this.opts.url, adapter.upgrade.query),
      params,
      collector: this.collector,
      adapter,
      offsetUs: this.opts.offsetUs,
      wsOptions,
      reconnect: this.opts.reconnect ?? NO_RECONNECT,
      sessionPrefix: `${this.opts.sessionTag ?? ''}${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
      random: seededRandom(this.opts.seed ?? 1),
      localAddresses: this.opts.localAddresses,
      onConnection: (d) => {
        this.connections += d;
      },
    };
    this.ctx = ctx;
    const stages = this.opts.stages;
    if (!stages) for (let i = 0; i < params.clients; i++) this.addClient();

    const rampMs = stages ? 0 : ms(params.rampUp);
    const warmMs = stages ? 0 : ms(params.warmup);
    const measureMs = stages ? stagesDurationMs(stages) : ms(params.duration);
    if (this.opts.startAtMs !== undefined) await sleep(this.opts.startAtMs - Date.now(), signal);
    const t0 = performance.now();

    this.startHeartbeat(adapter.idleEndUs / 1000);
    this.monitor.start();
    if (!stages) {
      this.emit('phase', 'ramp-up', Date.now());
      await this.rampUp(rampMs, signal);
      if (!signal?.aborted) {
        this.emit('phase', 'warm-up', Date.now());
        await sleepUntil(t0 + rampMs + warmMs, signal);
      }
    }
    const windowMs = this.opts.windowMs ?? 1000;
    const aligner = new SlotAligner(1, windowMs / 1000);
    this.aligner = aligner;
    if (!signal?.aborted) {
      this.collector.startMeasuring();
      this.monitor.sample(); // windows see only the measured time, not the connection storm before it
      this.measureStartMs = performance.now();
      this.emit('phase', 'measure', Date.now());
      void this.rollover(signal);
      const endMs = this.measureStartMs + measureMs;
      await this.measure(endMs, windowMs, signal);
      const now = performance.now();
      const slot = Math.max(this.slot + 1, Math.round((now - this.measureStartMs) / windowMs));
      // A loop blocked past the end (or past the boundary it never ticked) stalled at least that long.
      const late = Math.max(0, now - Math.min(this.nextTickMs, endMs));
      const last = this.collector.stopMeasuring(this.connections, this.monitor.sample(late), (slot * windowMs) / 1000);
      if (last) this.publish(aligner.push(0, last));
    }
    this.publish(aligner.end(0));
    this.emit('phase', 'drain', Date.now());
    await this.drain(ms(params.drainTimeout));
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.monitor.stop();
    this.emit('phase', 'done', Date.now());
    const snap = this.collector.snapshot();
    snap.timeseries = [...aligner.series];
    return snap;
  }

  private publish(points: TimeseriesPoint[]): void {
    for (const p of points) this.emit('tick', p);
  }

  /**
   * One timer for client heartbeats and the protocol's idle end of streams (never a timer per
   * client), judging silence as of each beat's due time (a stall of this loop is not the server's).
   */
  private startHeartbeat(idleEndMs: number): void {
    const hb = this.opts.heartbeat;
    const beats = hb !== undefined && hb.intervalMs > 0;
    if (!beats && idleEndMs <= 0) return;
    const intervalUs = beats ? hb.intervalMs * 1000 : 0;
    const timeoutUs = beats ? hb.timeoutMs * 1000 : 0;
    const periods = [beats ? Math.min(hb.intervalMs, hb.timeoutMs) / 2 : Infinity, idleEndMs > 0 ? idleEndMs / 4 : Infinity];
    const period = Math.max(50, Math.min(...periods));
    const clock = new BeatClock(period, performance.now());
    this.heartbeatTimer = setInterval(() => {
      const at = clock.judgeAtUs(performance.now(), nowUs());
      for (const c of this.clients) c.heartbeat(at, intervalUs, timeoutUs);
    }, period);
  }

  private async rampUp(rampMs: number, signal?: AbortSignal): Promise<void> {
    const n = this.clients.length;
    const start = performance.now();
    let started = 0;
    while (started < n && !signal?.aborted) {
      const elapsed = performance.now() - start;
      const due = rampMs <= 0 ? n : Math.min(n, Math.floor((elapsed / rampMs) * n) + 1);
      while (started < due) (this.clients[started++] as LoadClient).start();
      if (started < n) await sleep(Math.max(1, Math.min(10, rampMs / n)), signal);
    }
  }

  /**
   * Continuous streams started in warm-up are replaced by measured ones in small batches spread
   * across one frame interval: thousands of cancel + generate at one instant would stall this loop
   * and the target alike, and restarting every stream within a fraction of the interval would
   * bunch their frames into bursts for the rest of the run (the target paces each stream from its
   * start). A late timer stretches the spread rather than catching up in one burst.
   */
  private async rollover(signal?: AbortSignal): Promise<void> {
    const list = [...this.clients];
    const batch = rolloverBatch(list.length, 1000 / this.opts.params.fps);
    for (let i = 0; i < list.length && !signal?.aborted && this.collector.measuring; i += batch) {
      for (let j = i; j < Math.min(i + batch, list.length); j++) (list[j] as LoadClient).rollover();
      if (i + batch < list.length) await sleep(ROLLOVER_GAP_MS, signal);
    }
  }

  private addClient(): LoadClient {
    const c = createLoadClient((this.opts.indexOffset ?? 0) + this.created++, this.ctx as ClientContext);
    this.clients.push(c);
    return c;
  }

  /** Moves the number of active clients towards the stage target (new clients start, surplus ones finish their request and leave). */
  private followStages(stages: Stage[], elapsedMs: number): void {
    const at = stageAt(stages, elapsedMs);
    if (at.index !== this.stageIndex) {
      this.stageIndex = at.index;
      this.emit('stage', at.index, stages[at.index]?.target ?? at.target);
    }
    while (this.active.length < at.target) {
      const c = this.addClient();
      this.active.push(c);
      c.start();
    }
    while (this.active.length > at.target) {
      const c = this.active.pop() as LoadClient;
      c.stop();
      void c.whenIdle().then(() => c.close());
      void c.closed.then(() => {
        const i = this.clients.indexOf(c);
        if (i >= 0) this.clients.splice(i, 1);
      });
    }
  }

  private async measure(endMs: number, windowMs: number, signal?: AbortSignal): Promise<void> {
    const startMs = this.measureStartMs;
    let nextTick = startMs + windowMs;
    this.nextTickMs = nextTick;
    const stages = this.opts.stages;
    while (!signal?.aborted) {
      const now = performance.now();
      if (stages) this.followStages(stages, now - startMs);
      if (now >= endMs) break;
      if (now >= nextTick) {
        // A stalled loop closes one window across the boundaries it missed (the aligner spreads it).
        const slot = Math.max(this.slot + 1, Math.floor((now - startMs) / windowMs));
        const point = this.collector.tick(this.connections, this.monitor.sample(now - nextTick), (slot * windowMs) / 1000);
        this.slot = slot;
        if (point) this.publish((this.aligner as SlotAligner).push(0, point));
        nextTick = startMs + (slot + 1) * windowMs;
        this.nextTickMs = nextTick;
      }
      await sleep(Math.min(nextTick, endMs, stages ? now + 100 : Infinity) - now, signal);
    }
  }

  private async drain(timeoutMs: number): Promise<void> {
    for (const c of this.clients) c.stop();
    const idle = Promise.all(this.clients.map((c) => c.whenIdle()));
    await Promise.race([idle, sleep(timeoutMs)]);
    const closed = Promise.all(this.clients.map((c) => c.closed));
    for (const c of this.clients) c.close();
    await Promise.race([closed, sleep(2000)]);
    for (const c of this.clients) if (c.phase !== 'closed') c.terminate();
  }
}

/**
 * Clients rolled over per ROLLOVER_GAP_MS step so that n clients spread across one frame interval,
 * never more than ROLLOVER_BATCH per step.
 */
export function rolloverBatch(n: number, frameIntervalMs: number): number {
  const steps = Math.max(1, Math.floor(frameIntervalMs / ROLLOVER_GAP_MS));
  return Math.max(1, Math.min(ROLLOVER_BATCH, Math.ceil(n / steps)));
}
