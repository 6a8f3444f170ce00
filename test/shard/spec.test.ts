import { describe, expect, it } from 'vitest';
import type { ChaosEntry } from '../../src/chaos/schema.js';
import { offsetOf, parseShard, shardAddresses, shardChaos, shardStages, shareOf } from '../../src/shard/spec.js';
import { scenarioHash, sharedRunId } from '../../src/shard/run-id.js';

describe('--shard', () => {
  it('parses I/N (1-based) and N with JOB_COMPLETION_INDEX (0-based)', () => {
    expect(parseShard('2/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard('4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('5/4')).toThrow(/1 ≤ I ≤ N/);
    expect(() => parseShard('0/4')).toThrow(/1 ≤ I ≤ N/);
    expect(() => parseShard('4', {})).toThrow(/JOB_COMPLETION_INDEX is not set; pass --shard I\/4/);
    expect(() => parseShard('4', { JOB_COMPLETION_INDEX: '4' })).toThrow(/expected 0 to 3/);
    expect(() => parseShard('two')).toThrow(/expected I\/N/);
  });

  it('splits clients into disjoint consecutive ranges that add up to the whole', () => {
    for (const [total, n] of [
      [10, 4],
      [4, 4],
      [1000, 16],
      [7, 3],
    ] as const) {
      const shares = Array.from({ length: n }, (_, index) => shareOf(total, { index, count: n }));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      const ranges = Array.from({ length: n }, (_, index) => [offsetOf(total, { index, count: n }), offsetOf(total, { index, count: n }) + (shares[index] ?? 0)]);
      for (let i = 1; i < n; i++) expect(ranges[i]?.[0]).toBe(ranges[i - 1]?.[1]);
      expect(ranges.at(-1)?.[1]).toBe(total);
    }
  });

  it('splits every stage target so the shards add up to it', () => {
    const stages = [
      { durationMs: 1000, target: 10 },
      { durationMs: 5000, target: 10 },
      { durationMs: 1000, target: 3 },
    ];
    const parts = [0, 1, 2, 3].map((index) => shardStages(stages, { index, count: 4 }));
    stages.forEach((s, i) => expect(parts.reduce((n, p) => n + (p[i]?.target ?? 0), 0)).toBe(s.target));
    expect(parts[0]?.map((s) => s.durationMs)).toEqual([1000, 5000, 1000]);
  });

  it('keeps fractions, splits counts and runs a command on the first shard only', () => {
    const chaos = [
      { kind: 'kill-clients', every: '5s', fraction: 0.1 },
      { kind: 'drop-connections', at: '2s', count: 5 },
      { kind: 'command', at: '1s', run: 'true', timeout: '5s' },
    ] as unknown as ChaosEntry[];
    const all = [0, 1, 2, 3].map((index) => shardChaos(chaos, { index, count: 4 }));
    expect(all.every((a) => a.some((e) => e.kind === 'kill-clients' && e.fraction === 0.1))).toBe(true);
    const counts = all.map((a) => a.find((e) => e.kind === 'drop-connections')?.count ?? 0);
    expect(counts).toEqual([2, 1, 1, 1]);
    expect(all.map((a) => a.some((e) => e.kind === 'command'))).toEqual([true, false, false, false]);
  });

  it('gives each shard its stripe of the source addresses', () => {
    const list = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
    expect(shardAddresses(list, { index: 0, count: 3 })).toEqual(['127.0.0.2', '127.0.0.5']);
    expect(shardAddresses(list, { index: 2, count: 3 })).toEqual(['127.0.0.4', '127.0.0.7']);
    expect(shardAddresses(['127.0.0.2'], { index: 2, count: 3 })).toEqual(['127.0.0.2']);
    expect(shardAddresses(undefined, { index: 0, count: 3 })).toBeUndefined();
  });

  it('derives the same run id in every shard from the scenario and the start time', () => {
    const a = scenarioHash({ name: 'x', clients: 5, nested: { b: 1, a: 2 } });
    expect(scenarioHash({ nested: { a: 2, b: 1 }, clients: 5, name: 'x' })).toBe(a);
    expect(scenarioHash({ name: 'x', clients: 6, nested: { b: 1, a: 2 } })).not.toBe(a);
    const at = Date.parse('2026-12-01T21:00:00Z');
    expect(sharedRunId('My Soak', a, at)).toBe(`20261201-210000-my-soak-${a.slice(0, 8)}`);
  });
});
