import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaultProxy, ProxyFaults } from '../../src/chaos/proxy.js';
import { ChaosRunner, type ChaosEvent, type ChaosTargets } from '../../src/chaos/runner.js';
import { mulberry32, planFaults } from '../../src/chaos/schedule.js';
import { chaosSchema, type ChaosEntryInput } from '../../src/chaos/schema.js';

const plan = (entries: ChaosEntryInput[], windowMs = 10_000, seed = 1) => planFaults(chaosSchema.parse(entries), { seed, windowMs });

/** A stand-in for the engine's side of ChaosTargets: records calls. */
function stubTargets(clients = 20) {
  const calls: string[] = [];
  const killed: number[][] = [];
  const targets: ChaosTargets = {
    killClients(pick) {
      const hit = pick(clients);
      killed.push(hit);
      calls.push(`kill ${hit.length}`);
      return hit.length;
    },
  };
  return { targets, calls, killed };
}

function stubProxy(open = 8) {
  const sets: ProxyFaults[] = [];
  let current: ProxyFaults = {};
  const proxy: FaultProxy = {
    port: 1,
    url: () => 'ws://127.0.0.1:1/',
    set: (f) => void sets.push((current = { ...f })),
    faults: () => current,
    resetAll: () => open,
    dropFraction: (f) => Math.round(open * f),
    connections: () => open,
    stats: () => ({ accepted: open, open, bytesUp: 0, bytesDown: 0, heldBytes: 0, resets: 0, drops: 0, errors: 0 }),
    close: async () => {},
  };
  return { proxy, sets };
}

describe('ChaosRunner', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires faults at their planned times and reports each as an event', async () => {
    const { targets, killed } = stubTargets(20);
    const events: ChaosEvent[] = [];
    const runner = new ChaosRunner(plan([{ kind: 'kill-clients', fraction: 0.25, every: '2s', times: 3 }]), targets, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(1999);
    expect(events).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ t: 2, kind: 'kill-clients', detail: 'killed 5 of 20 clients (fraction 0.25)', hit: 5 }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.map((e) => e.t)).toEqual([2, 4, 6]);
    await runner.stop();
    expect(killed).toHaveLength(3);
    expect(killed.every((k) => k.length === 5)).toBe(true);
  });

  it('picks the same clients for the same seed, run after run', async () => {
    const picksFor = async (seed: number) => {
      const { targets, killed } = stubTargets(50);
      const runner = new ChaosRunner(plan([{ kind: 'kill-clients', count: 4, every: '1s' }], 5000, seed), targets, () => {});
      runner.start();
      await vi.advanceTimersByTimeAsync(5000);
      await runner.stop();
      return killed;
    };
    const a = await picksFor(3);
    expect(a).toHaveLength(4);
    expect(await picksFor(3)).toEqual(a);
    expect(await picksFor(4)).not.toEqual(a);
    const shared = stubTargets(50);
    const runner = new ChaosRunner(plan([{ kind: 'kill-clients', count: 4, every: '1s' }]), shared.targets, () => {}, mulberry32(5));
    runner.start();
    await vi.advanceTimersByTimeAsync(2000);
    await runner.stop();
    expect(shared.killed).toHaveLength(2);
  });

  it('skips a capability the target lacks with one clear event per entry', async () => {
    const { targets } = stubTargets();
    const events: ChaosEvent[] = [];
    const faults = plan([
      { kind: 'restart-server', every: '1s' },
      { kind: 'drop-connections', fraction: 0.5, at: '500ms' },
      { kind: 'network', latency: '20ms', at: '1s', duration: '1s' },
    ]);
    const runner = new ChaosRunner(faults, targets, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(5000);
    await runner.stop();
    expect(events.map((e) => e.kind)).toEqual(['chaos-skipped', 'chaos-skipped', 'chaos-skipped']);
    expect(events.map((e) => e.detail)).toEqual([
      'drop-connections (chaos[1]) skipped: the target has no admin channel and there is no fault proxy in front of it',
      'restart-server (chaos[0]) skipped: the server is not managed by framebench (an external target cannot be restarted)',
      'network (chaos[2]) skipped: there is no fault proxy in front of the target',
    ]);
  });

  it('sets network faults for the window, combines overlapping windows, and clears them at the end', async () => {
    const { targets } = stubTargets();
    const { proxy, sets } = stubProxy(8);
    const events: ChaosEvent[] = [];
    const faults = plan([
      { kind: 'network', latency: '20ms', jitter: '5ms', at: '1s', duration: '2s' },
      { kind: 'network', blackhole: true, bandwidth: '8mbit', at: '2s', duration: '500ms' },
      { kind: 'network', reset: true, at: '4s' },
    ]);
    const runner = new ChaosRunner(faults, { ...targets, proxy }, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(5000);
    await runner.stop();
    expect(sets).toEqual([{ latencyMs: 20, jitterMs: 5 }, { latencyMs: 20, jitterMs: 5, bandwidthBytesPerSec: 1_000_000, blackhole: true }, { latencyMs: 20, jitterMs: 5 }, {}]);
    expect(events).toEqual([
      { t: 1, kind: 'network', detail: 'latency 20ms ± 5ms', hit: 8, endsAt: 3 },
      { t: 2, kind: 'network', detail: 'bandwidth 8mbit, black hole', hit: 8, endsAt: 2.5 },
      { t: 2.5, kind: 'network-end', detail: 'bandwidth 8mbit, black hole: window over', hit: 8 },
      { t: 3, kind: 'network-end', detail: 'latency 20ms ± 5ms: window over', hit: 8 },
      { t: 4, kind: 'network', detail: 'reset 8 connections', hit: 8 },
    ]);
  });

  it('ends open windows when stopped early', async () => {
    const { proxy, sets } = stubProxy(3);
    const events: ChaosEvent[] = [];
    const runner = new ChaosRunner(plan([{ kind: 'network', blackhole: true, at: '1s' }]), { ...stubTargets().targets, proxy }, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(1500);
    await runner.stop();
    expect(sets).toEqual([{ blackhole: true }, {}]);
    expect(events.map((e) => [e.t, e.kind, e.detail])).toEqual([
      [1, 'network', 'black hole'],
      [1.5, 'network-end', 'black hole: ended early: the run stopped'],
    ]);
  });

  it('restarts the managed server, waits for it on stop, and skips a restart that would overlap', async () => {
    const { targets } = stubTargets();
    const restarts: string[] = [];
    const restartServer = async (mode: 'kill' | 'term', downtimeMs: number) => {
      restarts.push(`${mode} ${downtimeMs}`);
      await new Promise((resolve) => setTimeout(resolve, downtimeMs + 200));
    };
    const events: ChaosEvent[] = [];
    const faults = plan([
      { kind: 'restart-server', at: '1s', mode: 'term', downtime: '2s' },
      { kind: 'restart-server', at: '2s' },
    ]);
    const runner = new ChaosRunner(faults, { ...targets, restartServer }, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(restarts).toEqual(['term 2000']);
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(events).toEqual([
      { t: 2, kind: 'chaos-skipped', detail: 'restart-server (chaos[1]): the previous restart is still in progress' },
      { t: 1, kind: 'restart-server', detail: 'SIGTERM, downtime 2s, serving again after 2.20s', hit: 1, endsAt: 3.2 },
    ]);
  });

  it('drops through the admin channel when the target has one, else through the proxy', async () => {
    const { targets } = stubTargets();
    const events: ChaosEvent[] = [];
    const admin = { ...targets, dropConnections: async (f: number | undefined, c: number | undefined) => (f ? 10 * f : (c ?? 0)) };
    const r1 = new ChaosRunner(plan([{ kind: 'drop-connections', fraction: 0.5, at: '1s' }]), admin, (e) => events.push(e));
    r1.start();
    await vi.advanceTimersByTimeAsync(1000);
    await r1.stop();
    const { proxy } = stubProxy(10);
    const r2 = new ChaosRunner(plan([{ kind: 'drop-connections', count: 3, at: 0 }]), { ...targets, proxy }, (e) => events.push(e));
    r2.start();
    await r2.stop();
    expect(events).toEqual([
      { t: 1, kind: 'drop-connections', detail: 'dropped 5 connections on the server side (fraction 0.5)', hit: 5, endsAt: 1 },
      { t: 0, kind: 'drop-connections', detail: 'dropped 3 of 10 connections at the fault proxy (count 3)', hit: 3 },
    ]);
  });

  it('turns an injector that throws or rejects into a chaos-error event and keeps going', async () => {
    const events: ChaosEvent[] = [];
    const targets: ChaosTargets = {
      killClients: () => {
        throw new Error('pool is gone');
      },
      restartServer: () => Promise.reject(new Error('port 8080 still in use')),
    };
    const faults = plan([
      { kind: 'kill-clients', fraction: 0.1, at: '1s' },
      { kind: 'restart-server', at: '2s' },
      { kind: 'restart-server', at: '3s' },
    ]);
    const runner = new ChaosRunner(faults, targets, (e) => events.push(e));
    runner.start();
    await vi.advanceTimersByTimeAsync(3000);
    await runner.stop();
    expect(events).toEqual([
      { t: 1, kind: 'chaos-error', detail: 'kill-clients: pool is gone' },
      { t: 2, kind: 'chaos-error', detail: 'restart-server: port 8080 still in use' },
      { t: 3, kind: 'chaos-error', detail: 'restart-server: port 8080 still in use' },
    ]);
  });
});

describe('ChaosRunner with commands (real processes)', () => {
  it('reports a failing and a timed-out command as events, not crashes', async () => {
    const events: ChaosEvent[] = [];
    const faults = plan([
      { kind: 'command', run: 'echo "error: deployment not found" >&2; exit 3', at: 0 },
      { kind: 'command', run: 'sleep 5', timeout: '200ms', at: '50ms' },
    ]);
    const runner = new ChaosRunner(faults, stubTargets().targets, (e) => events.push(e));
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await runner.stop();
    expect(events).toHaveLength(2);
    const failed = events.find((e) => e.detail.includes('exit 3'));
    expect(failed).toMatchObject({ kind: 'command', t: 0, output: 'error: deployment not found\n' });
    expect(failed?.detail).toMatch(/^echo .*: exit 3 after \d+\.\d\ds$/);
    const timedOut = events.find((e) => e.detail.startsWith('sleep 5'));
    expect(timedOut?.detail).toBe('sleep 5: timed out after 200ms, killed (SIGTERM)');
    expect(timedOut?.t).toBeCloseTo(0.05, 1);
    expect(timedOut?.endsAt).toBeGreaterThanOrEqual(0.25);
  });
});
