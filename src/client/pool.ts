// Runs one cell of load: ramps clients up, warms up, measures for `duration`, drains in-flight
// requests and closes every connection. Progress goes out as events, never as prints.
import { EventEmitter } from 'node:events';
import { CellCollector, type CollectorSnapshot } from '../metrics/collector.js';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import { nowUs } from '../protocol/clock.js';
import type { RunEvent, TimeseriesPoint } from '../metrics/results-types.js';
import { parseDuration } from '../scenario/duration.js';
import type { CellParams } from '../scenario/schema.js';
import { seededRandom } from './backoff.js';
import { stageAt, stagesDurationMs, type Stage } from './stages.js';
import { NO_RECONNECT, type ClientContext, type ReconnectPolicy } from './client-context.js';
import { createLoadClient, type LoadClient } from './transports/load-client.js';

export interface PoolOptions {
  url: string;
  params: CellParams;
  offsetUs: number;
  wsOptions: ClientContext['wsOptions'];
  signal?: AbortSignal;
  reconnect?: ReconnectPolicy;
  /** Client-side liveness: ping after intervalMs of silence, reconnect after timeoutMs. */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  seed?: number;
  /** Local source addresses spread over the clients (round robin by global client index). */
  localAddresses?: string[];
  /** Length of a time-series window, ms (default 1000; shorter only to simulate long runs quickly). */
  windowMs?: number;
  /** Global index of this pool's first client (pools in worker processes each run a slice). */
  indexOffset?: number;
  /**
   * Stages instead of a fixed client count: clients follow the stage targets during the measured
   * window (no ramp-up or warm-up phase; its length is the stages' total).
   */
  stages?: Stage[];
}

export interface PoolEvents {
  phase: [phase: 'ramp-up' | 'warm-up' | 'measure' | 'drain' | 'done'];
  tick: [point: TimeseriesPoint];
  stage: [index: number, target: number];
}

const ms = (d: string | number): number => parseDuration(d) ?? 0;

/** What the runner and the chaos engine need from a pool, in-process or across worker processes. */
export interface LoadPool extends EventEmitter<PoolEvents> {
  readonly connections: number;
  readonly events: RunEvent[];
  killClients(pick: (n: number) => number[]): number;
  run(): Promise<CollectorSnapshot>;
}

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
    const ctx: ClientContext = {
      url: this.opts.url,
      params,
      collector: this.collector,
      offsetUs: this.opts.offsetUs,
      wsOptions: { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10_000, ...this.opts.wsOptions },
      reconnect: this.opts.reconnect ?? NO_RECONNECT,
      sessionPrefix: `${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
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
    const t0 = performance.now();

    this.startHeartbeat();
    this.monitor.start();
    if (!stages) {
      this.emit('phase', 'ramp-up');
      await this.rampUp(rampMs, signal);
      if (!signal?.aborted) {
        this.emit('phase', 'warm-up');
        await sleepUntil(t0 + rampMs + warmMs, signal);
      }
    }
    if (!signal?.aborted) {
      this.collector.startMeasuring();
      for (const c of this.clients) c.rollover();
      this.emit('phase', 'measure');
      await this.measure(performance.now() + measureMs, signal);
    }
    this.collector.stopMeasuring(this.connections, this.monitor.sample());
    this.emit('phase', 'drain');
    await this.drain(ms(params.drainTimeout));
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.monitor.stop();
    this.emit('phase', 'done');
    return this.collector.snapshot();
  }

  private startHeartbeat(): void {
    const hb = this.opts.heartbeat;
    if (!hb || hb.intervalMs <= 0) return;
    const intervalUs = hb.intervalMs * 1000;
    const timeoutUs = hb.timeoutMs * 1000;
    this.heartbeatTimer = setInterval(() => {
      const now = nowUs();
      for (const c of this.clients) c.heartbeat(now, intervalUs, timeoutUs);
    }, Math.max(50, Math.min(hb.intervalMs, hb.timeoutMs) / 2));
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

  private async measure(endMs: number, signal?: AbortSignal): Promise<void> {
    const windowMs = this.opts.windowMs ?? 1000;
    let nextTick = performance.now() + windowMs;
    const stages = this.opts.stages;
    const startMs = performance.now();
    while (!signal?.aborted) {
      const now = performance.now();
      if (stages) this.followStages(stages, now - startMs);
      if (now >= endMs) break;
      if (now >= nextTick) {
        const point = this.collector.tick(this.connections, this.monitor.sample());
        if (point) this.emit('tick', point);
        nextTick += windowMs;
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

export function sleep(msToWait: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, msToWait));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  return sleep(atMs - performance.now(), signal);
}
