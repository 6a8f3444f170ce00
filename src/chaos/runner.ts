// Fires planned faults at their times during a cell through the engine's ChaosTargets, and reports each as an event.
// Injectors that take time (drops via the admin channel, restarts, commands) report when they finish, with `t` set
// to when they fired and `endsAt` to when they finished. A capability the target lacks gives one `chaos-skipped`
// event per entry; an injector that throws gives a `chaos-error` event. Neither stops the run.
import { formatDuration, parseDuration } from '../text/duration.js';
import { formatBandwidth } from './bandwidth.js';
import { runChaosCommand } from './command.js';
import { injectTopologyFault, NoTopologyError, type TopologyFaultEntry } from './topology-faults.js';
import type { FaultProxy } from './proxy.js';
import { combineFaults, hasWindow, mulberry32, networkFaults, pickFraction } from './schedule.js';
import type { NetworkFaults, PlannedFault, Rng } from './schedule.js';
import type { ChaosEntryOf, ChaosKind } from './schema.js';

export interface ChaosTargets {
  /** Abruptly destroys the sockets of the chosen clients; returns how many were hit. */
  killClients(pick: (n: number) => number[]): number;
  /** Drops server-side connections (admin channel or proxy); undefined when not possible for this target. */
  dropConnections?(fraction: number | undefined, count: number | undefined): Promise<number>;
  /** Kills (or terms) the managed server and starts it again on the same port after downtimeMs. */
  restartServer?(mode: 'kill' | 'term', downtimeMs: number): Promise<void>;
  /** The fault proxy, when the scenario has network faults. */
  proxy?: FaultProxy;
  /** Upload cells: tells the managed mock model API to throttle, slow down or fail for durationMs. */
  modelApi?(effect: 'throttle' | 'slow' | 'fail', durationMs: number, amount: { factor: number; rate: number }): Promise<void>;
}

export interface ChaosEvent {
  t: number /* s since measured start */;
  kind: string;
  detail: string;
  hit?: number;
  endsAt?: number;
  /** command: the tail of its combined output. */
  output?: string;
}

interface Action {
  atMs: number;
  fault: PlannedFault;
  end: boolean;
}

const SKIP_REASONS: Partial<Record<ChaosKind, string>> = {
  'drop-connections': 'the target has no admin channel and there is no fault proxy in front of it',
  'restart-server': 'the server is not managed by framebench (an external target cannot be restarted)',
  network: 'there is no fault proxy in front of the target',
  'model-api': 'the model API is not the embedded mock (only upload cells against the mock can throttle it)',
};

const seconds = (ms: number) => Math.round(ms) / 1000;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const amountText = (e: { fraction?: number; count?: number }) => (e.count !== undefined ? `count ${e.count}` : `fraction ${e.fraction}`);

export class ChaosRunner {
  private readonly actions: Action[];
  private next = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private restarting = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly windows = new Map<PlannedFault, NetworkFaults>();
  private readonly skipped = new Set<number>();

  /** With `rng`, every pick draws from it in firing order; by default each firing has its own stream from `fault.seed`. */
  constructor(
    faults: readonly PlannedFault[],
    private readonly targets: ChaosTargets,
    private readonly onEvent: (e: ChaosEvent) => void,
    private readonly rng?: Rng,
    /** Told each shell command right before it runs (commands come from the scenario file). */
    private readonly onCommand?: (line: string) => void,
  ) {
    const actions: Action[] = [];
    for (const fault of faults) {
      actions.push({ atMs: fault.atMs, fault, end: false });
      if (fault.endMs !== undefined) actions.push({ atMs: fault.endMs, fault, end: true });
    }
    this.actions = actions.sort((a, b) => a.atMs - b.atMs || Number(b.end) - Number(a.end));
  }

  /** Starts the clock; `startedAt` is the measured window's start on the performance.now() clock. */
  start(startedAt = performance.now()): void {
    this.startedAt = startedAt;
    this.tick();
  }

  /** Stops firing, ends open network windows, and waits for in-flight injectors (restarts, commands) to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const fault of [...this.windows.keys()]) this.endWindow(fault, 'ended early: the run stopped');
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    for (let a = this.actions[this.next]; a && a.atMs <= this.elapsed() + 0.5; a = this.actions[this.next]) {
      this.next++;
      if (a.end) this.endWindow(a.fault);
      else this.fire(a.fault);
    }
    const upcoming = this.actions[this.next];
    if (upcoming) this.timer = setTimeout(() => this.tick(), Math.max(1, upcoming.atMs - this.elapsed()));
  }

  private fire(fault: PlannedFault): void {
    const t = seconds(this.elapsed());
    const rng = this.rng ?? mulberry32(fault.seed);
    const { entry } = fault;
    try {
      switch (entry.kind) {
        case 'kill-clients': {
          let of = 0;
          const hit = this.targets.killClients((n) => ((of = n), pickFraction(n, entry, rng)));
          return this.emit({ t, kind: entry.kind, detail: `killed ${hit} of ${of} clients (${amountText(entry)})`, hit });
        }
        case 'drop-connections':
          return this.drop(fault, entry, t, rng);
        case 'restart-server':
          return this.restart(fault, entry, t);
        case 'command':
          return this.command(entry, t);
        case 'network':
          return this.network(fault, entry, t);
        case 'kill-gateway':
        case 'restart-redis':
        case 'kill-generator':
        case 'slow-generator':
          return this.topology(entry, t);
        case 'model-api':
          return this.modelApi(fault, entry, t);
      }
    } catch (err) {
      this.emit({ t, kind: 'chaos-error', detail: `${entry.kind}: ${messageOf(err)}` });
    }
  }

  private drop(fault: PlannedFault, entry: ChaosEntryOf<'drop-connections'>, t: number, rng: Rng): void {
    const { dropConnections, proxy } = this.targets;
    if (dropConnections) {
      return this.track(entry.kind, t, async () => {
        const hit = await dropConnections.call(this.targets, entry.fraction, entry.count);
        const detail = `dropped ${hit} connections on the server side (${amountText(entry)})`;
        this.emit({ t, kind: entry.kind, detail, hit, endsAt: seconds(this.elapsed()) });
      });
    }
    if (!proxy) return this.skip(fault);
    const open = proxy.connections();
    const fraction = entry.fraction ?? (open > 0 ? Math.min(1, (entry.count ?? 0) / open) : 0);
    const hit = proxy.dropFraction(fraction, rng);
    this.emit({ t, kind: entry.kind, detail: `dropped ${hit} of ${open} connections at the fault proxy (${amountText(entry)})`, hit });
  }

  private restart(fault: PlannedFault, entry: ChaosEntryOf<'restart-server'>, t: number): void {
    const { restartServer } = this.targets;
    if (!restartServer) return this.skip(fault);
    if (this.restarting) {
      const detail = `restart-server (chaos[${fault.entryIndex}]): the previous restart is still in progress`;
      return this.emit({ t, kind: 'chaos-skipped', detail });
    }
    const downtimeMs = parseDuration(entry.downtime) ?? 1000;
    const signal = entry.mode === 'term' ? 'SIGTERM' : 'SIGKILL';
    this.restarting = true;
    this.track(entry.kind, t, async () => {
      try {
        await restartServer.call(this.targets, entry.mode, downtimeMs);
      } finally {
        this.restarting = false;
      }
      const back = seconds(this.elapsed());
      const detail = `${signal}, downtime ${formatDuration(downtimeMs)}, serving again after ${(back - t).toFixed(2)}s`;
      this.emit({ t, kind: entry.kind, detail, hit: 1, endsAt: back });
    });
  }

  private command(entry: ChaosEntryOf<'command'>, t: number): void {
    const timeoutMs = parseDuration(entry.timeout) ?? 30_000;
    this.track(entry.kind, t, async () => {
      this.onCommand?.(`chaos: running shell command from the scenario: ${entry.run}`);
      const r = await runChaosCommand(entry.run, { timeoutMs });
      const took = `${(r.durationMs / 1000).toFixed(2)}s`;
      const status = r.error
        ? `could not start: ${r.error}`
        : r.timedOut
          ? `timed out after ${formatDuration(timeoutMs)}, killed (${r.signal ?? `exit ${r.exitCode}`})`
          : r.signal
            ? `killed by ${r.signal} after ${took}`
            : `exit ${r.exitCode} after ${took}`;
      this.emit({ t, kind: entry.kind, detail: `${entry.run}: ${status}`, endsAt: seconds(this.elapsed()), output: r.outputTail });
    });
  }

  private topology(entry: TopologyFaultEntry, t: number): void {
    this.track(entry.kind, t, async () => {
      try {
        const r = await injectTopologyFault(entry);
        this.emit({ t, kind: entry.kind, detail: r.detail, hit: r.hit, endsAt: seconds(this.elapsed()) });
      } catch (err) {
        if (!(err instanceof NoTopologyError)) throw err;
        this.emit({ t, kind: 'chaos-skipped', detail: `${entry.kind} skipped: ${err.message}` });
      }
    });
  }

  private network(fault: PlannedFault, entry: ChaosEntryOf<'network'>, t: number): void {
    const proxy = this.targets.proxy;
    if (!proxy) return this.skip(fault);
    const parts: string[] = [];
    let hit = proxy.connections();
    if (entry.reset) {
      hit = proxy.resetAll();
      parts.push(`reset ${hit} connections`);
    }
    if (hasWindow(entry)) {
      const faults = networkFaults(entry);
      this.windows.set(fault, faults);
      proxy.set(combineFaults([...this.windows.values()]));
      parts.unshift(describeFaults(faults));
    }
    const event: ChaosEvent = { t, kind: 'network', detail: parts.join(', '), hit };
    if (fault.endMs !== undefined) event.endsAt = seconds(fault.endMs);
    this.emit(event);
  }

  private modelApi(fault: PlannedFault, entry: ChaosEntryOf<'model-api'>, t: number): void {
    const { modelApi } = this.targets;
    if (!modelApi) return this.skip(fault);
    const durationMs = parseDuration(entry.duration) ?? 0;
    const what = entry.effect === 'throttle' ? 'every call answered 429' : entry.effect === 'slow' ? `latency × ${entry.factor}` : `${Math.round(entry.rate * 100)} % of calls fail with 503`;
    this.track(entry.kind, t, async () => {
      await modelApi.call(this.targets, entry.effect, durationMs, { factor: entry.factor, rate: entry.rate });
      this.emit({ t, kind: entry.kind, detail: `model API ${entry.effect} for ${formatDuration(durationMs)} (${what})`, endsAt: seconds(this.elapsed() + durationMs) });
    });
  }

  private endWindow(fault: PlannedFault, why = 'window over'): void {
    const faults = this.windows.get(fault);
    const proxy = this.targets.proxy;
    if (!faults || !proxy) return;
    this.windows.delete(fault);
    proxy.set(combineFaults([...this.windows.values()]));
    const detail = `${describeFaults(faults)}: ${why}`;
    this.emit({ t: seconds(this.elapsed()), kind: 'network-end', detail, hit: proxy.connections() });
  }

  private skip(fault: PlannedFault): void {
    if (this.skipped.has(fault.entryIndex)) return;
    this.skipped.add(fault.entryIndex);
    const reason = SKIP_REASONS[fault.entry.kind] ?? 'not possible for this target';
    const detail = `${fault.entry.kind} (chaos[${fault.entryIndex}]) skipped: ${reason}`;
    this.emit({ t: seconds(this.elapsed()), kind: 'chaos-skipped', detail });
  }

  private track(kind: string, t: number, job: () => Promise<void>): void {
    const p = job()
      .catch((err: unknown) => this.emit({ t, kind: 'chaos-error', detail: `${kind}: ${messageOf(err)}` }))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private emit(e: ChaosEvent): void {
    try {
      this.onEvent(e);
    } catch {
      // a failing listener must not stop the chaos schedule
    }
  }
}

export function describeFaults(f: NetworkFaults): string {
  const parts: string[] = [];
  if (f.latencyMs !== undefined || f.jitterMs !== undefined) {
    parts.push(`latency ${formatDuration(f.latencyMs ?? 0)}${f.jitterMs ? ` ± ${formatDuration(f.jitterMs)}` : ''}`);
  }
  if (f.bandwidthBytesPerSec !== undefined) parts.push(`bandwidth ${formatBandwidth(f.bandwidthBytesPerSec)}`);
  if (f.blackhole) parts.push('black hole');
  return parts.join(', ') || 'no faults';
}
