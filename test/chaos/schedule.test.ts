import { describe, expect, it } from 'vitest';
import { formatBandwidth, parseBandwidth } from '../../src/chaos/bandwidth.js';
import { chaosSchema, type ChaosEntryInput } from '../../src/chaos/schema.js';
import { amountOf, combineFaults, mulberry32, networkFaults, pickFraction, planFaults } from '../../src/chaos/schedule.js';

const parse = (entries: ChaosEntryInput[]) => chaosSchema.parse(entries);
const times = (entries: ChaosEntryInput[], windowMs: number, seed = 1) => planFaults(parse(entries), { seed, windowMs }).map((f) => [f.entryIndex, f.atMs]);

describe('planFaults', () => {
  it('fires once at `at`, or at 0 when nothing is given', () => {
    expect(
      times(
        [
          { kind: 'kill-clients', fraction: 0.1, at: '5s' },
          { kind: 'command', run: 'true' },
        ],
        60_000,
      ),
    ).toEqual([
      [1, 0],
      [0, 5000],
    ]);
  });

  it('repeats every `every`, first after one interval unless `at` says otherwise, bounded by times and the window', () => {
    expect(times([{ kind: 'kill-clients', count: 1, every: '10s' }], 35_000)).toEqual([
      [0, 10_000],
      [0, 20_000],
      [0, 30_000],
    ]);
    expect(times([{ kind: 'kill-clients', count: 1, at: 0, every: '10s', times: 2 }], 60_000)).toEqual([
      [0, 0],
      [0, 10_000],
    ]);
    expect(times([{ kind: 'restart-server', at: '30s' }], 30_000)).toEqual([]);
  });

  it('merges entries in time order (ties by list position) and bounds network windows by the measured window', () => {
    const plan = planFaults(
      parse([
        { kind: 'network', latency: '50ms', at: '2s', every: '4s', duration: '1s' },
        { kind: 'drop-connections', fraction: 0.5, at: '2s' },
        { kind: 'network', blackhole: true, at: '9s' },
        { kind: 'network', reset: true, at: '1s' },
      ]),
      { seed: 7, windowMs: 10_000 },
    );
    expect(plan.map((f) => [f.entryIndex, f.firing, f.atMs, f.endMs])).toEqual([
      [3, 0, 1000, undefined],
      [0, 0, 2000, 3000],
      [1, 0, 2000, undefined],
      [0, 1, 6000, 7000],
      [2, 0, 9000, 10_000],
    ]);
  });

  it('is reproducible from the seed: same seed, same per-firing seeds; another seed, others', () => {
    const entries = parse([
      { kind: 'kill-clients', fraction: 0.2, every: '1s' },
      { kind: 'drop-connections', count: 3, every: '1.5s' },
    ]);
    const a = planFaults(entries, { seed: 1, windowMs: 10_000 });
    const b = planFaults(entries, { seed: 1, windowMs: 10_000 });
    const c = planFaults(entries, { seed: 2, windowMs: 10_000 });
    expect(b).toEqual(a);
    expect(c.map((f) => f.atMs)).toEqual(a.map((f) => f.atMs));
    expect(c.map((f) => f.seed)).not.toEqual(a.map((f) => f.seed));
    expect(new Set(a.map((f) => f.seed)).size).toBe(a.length);
    const picks = (plan: typeof a) => plan.map((f) => pickFraction(50, f.entry as { fraction?: number; count?: number }, mulberry32(f.seed)));
    expect(picks(b)).toEqual(picks(a));
    expect(picks(c)).not.toEqual(picks(a));
  });
});

describe('seeded picks', () => {
  it('mulberry32 gives the same sequence for the same seed, in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('amountOf rounds a fraction, hits at least one when above zero, and caps a count at n', () => {
    expect(amountOf(10, { fraction: 0.3 })).toBe(3);
    expect(amountOf(5, { fraction: 0.01 })).toBe(1);
    expect(amountOf(5, { fraction: 0 })).toBe(0);
    expect(amountOf(0, { fraction: 1 })).toBe(0);
    expect(amountOf(4, { count: 10 })).toBe(4);
    expect(amountOf(400, { fraction: 1 })).toBe(400);
  });

  it('pickFraction chooses distinct sorted indices, reproducibly, covering all indices over many seeds', () => {
    const p = pickFraction(100, { fraction: 0.1 }, mulberry32(9));
    expect(p).toHaveLength(10);
    expect(new Set(p).size).toBe(10);
    expect([...p].sort((x, y) => x - y)).toEqual(p);
    expect(pickFraction(100, { fraction: 0.1 }, mulberry32(9))).toEqual(p);
    expect(pickFraction(100, { fraction: 0.1 }, mulberry32(10))).not.toEqual(p);
    const hits = new Array<number>(20).fill(0);
    for (let s = 0; s < 2000; s++) for (const i of pickFraction(20, { count: 5 }, mulberry32(s))) hits[i] = (hits[i] ?? 0) + 1;
    for (const h of hits) expect(h).toBeGreaterThan(400);
    for (const h of hits) expect(h).toBeLessThan(600);
  });
});

describe('network faults', () => {
  it('resolves an entry into proxy faults and combines overlapping windows', () => {
    const [a, b] = parse([
      { kind: 'network', latency: '20ms', jitter: '5ms', bandwidth: '8mbit' },
      { kind: 'network', latency: 0.03, bandwidth: 500_000, blackhole: true },
    ]);
    if (a?.kind !== 'network' || b?.kind !== 'network') throw new Error('expected network entries');
    expect(networkFaults(a)).toEqual({ latencyMs: 20, jitterMs: 5, bandwidthBytesPerSec: 1_000_000 });
    expect(combineFaults([networkFaults(a), networkFaults(b)])).toEqual({
      latencyMs: 50,
      jitterMs: 5,
      bandwidthBytesPerSec: 500_000,
      blackhole: true,
    });
    expect(combineFaults([])).toEqual({});
  });

  it('parses bandwidths in bits and bytes per second', () => {
    expect(parseBandwidth('10mbit')).toBe(1_250_000);
    expect(parseBandwidth('500kbit')).toBe(62_500);
    expect(parseBandwidth('10Mbit/s')).toBe(1_250_000);
    expect(parseBandwidth('2MB')).toBe(2_000_000);
    expect(parseBandwidth('300kB')).toBe(300_000);
    expect(parseBandwidth(4096)).toBe(4096);
    expect(parseBandwidth('1gbit/s')).toBe(125_000_000);
    for (const bad of ['fast', '0', -5, '10 lightyears', '', null, '1gbps', '500kbps']) expect(parseBandwidth(bad)).toBeUndefined();
    expect(formatBandwidth(1_250_000)).toBe('10mbit');
  });
});
