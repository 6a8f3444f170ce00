import { describe, expect, it } from 'vitest';
import { mergeShardResults } from '../../src/merge/merge-results.js';
import { createHistogram, decodeHistogram, summarize } from '../../src/metrics/hdr.js';
import type { Results } from '../../src/results/types.js';
import { aggregateRepeats } from '../../src/metrics/aggregate.js';
// @ts-expect-error plain JS module shared with bench/merge.js
import { syntheticShard } from '../../bench/synthetic-shards.js';

const START = Date.parse('2026-12-01T21:00:00Z');
const make = (index: number, count: number, extra: Record<string, unknown> = {}): Results => syntheticShard({ index, count, seconds: 20, clients: 5 + index, fps: 10, runId: 'run-a', startMs: START, ...extra }) as Results;
const files = (rs: Results[]) => rs.map((results, i) => ({ file: `shard-${i + 1}/results.json`, results }));

describe('bench merge', () => {
  it('adds counts and merges histograms exactly: percentiles of the whole, not averages', () => {
    const shards = [0, 1, 2, 3].map((i) => make(i, 4));
    const { results } = mergeShardResults(files(shards));
    const cell = results.cells[0]!;
    const sum = (f: (r: Results) => number) => shards.reduce((n, r) => n + f(r), 0);
    expect(cell.counts.framesReceived).toBe(sum((r) => r.cells[0]!.counts.framesReceived));
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    expect(cell.params.clients).toBe(5 + 6 + 7 + 8);
    const whole = createHistogram();
    for (const r of shards) for (const p of r.cells[0]!.timeseries) whole.add(decodeHistogram(p.hdr!));
    expect(cell.latencyMs.frame.count).toBe(whole.totalCount);
    expect(cell.latencyMs.frame).toEqual(summarize(whole));
    const meanOfP99 = shards.reduce((n, r) => n + r.cells[0]!.latencyMs.frame.p99, 0) / shards.length;
    expect(cell.latencyMs.frame.p99).not.toBeCloseTo(meanOfP99, 1);
    expect(cell.throughput.framesPerSec).toBeCloseTo(
      sum((r) => r.cells[0]!.throughput.framesPerSec),
      0,
    );
    expect(results.merge?.clockSpreadMs).toBeCloseTo(0.06, 6);
    expect(results.ok).toBe(true);
    expect(cell.thresholds.map((t) => t.expr)).toEqual(['frame.p99 < 500', 'counts.framesLost == 0']);
  });

  it('merges windows by wall-clock second and names the shard of every event', () => {
    const a = make(0, 2);
    const b = make(1, 2);
    b.cells[0]!.measureStartedAt = new Date(START + 2000).toISOString();
    const { results } = mergeShardResults(files([a, b]));
    const cell = results.cells[0]!;
    expect(cell.timeseries).toHaveLength(22);
    expect(results.merge?.partialWindows).toBe(4);
    const third = cell.timeseries.find((p) => p.t === 3)!;
    expect(third.framesPerSec).toBeCloseTo(a.cells[0]!.timeseries[2]!.framesPerSec + b.cells[0]!.timeseries[0]!.framesPerSec, 0);
    expect(cell.events.map((e) => [e.t, e.shard])).toEqual([
      [10, '1/2'],
      [12, '2/2'],
    ]);
  });

  it("keeps a saturated shard's flag with the shard named, and evaluates thresholds on the merged cell", () => {
    const a = make(0, 2);
    const b = make(1, 2);
    b.cells[0]!.harness = { workers: 1, maxCpuPct: 99, maxLoopDelayMs: 300, saturated: true, reason: 'event loop blocked' };
    b.cells[0]!.harnessSaturated = true;
    b.cells[0]!.counts.framesLost = 3;
    b.cells[0]!.counts.framesExpected += 3;
    const { results } = mergeShardResults(files([a, b]));
    expect(results.cells[0]!.harness?.reason).toBe('shard 2/2: event loop blocked');
    expect(results.cells[0]!.byShard?.map((s) => [s.shard, s.framesLost, s.harnessSaturated ?? false])).toEqual([
      ['1/2', 0, false],
      ['2/2', 3, true],
    ]);
    expect(results.harnessSaturated).toBe(true);
    expect(results.cells[0]!.thresholds.find((t) => t.expr.startsWith('counts.framesLost'))).toMatchObject({ ok: false, value: 3 });
    expect(results.ok).toBe(false);
  });

  it('refuses shards of other runs, scenarios or shard counts, duplicates, and says which shard is missing', () => {
    const err = (rs: Results[]) => {
      try {
        mergeShardResults(files(rs));
      } catch (e) {
        return { code: (e as { exitCode?: number }).exitCode, message: (e as Error).message };
      }
      return undefined;
    };
    expect(err([make(0, 3), make(2, 3)])).toEqual({ code: 2, message: expect.stringContaining('shard 2/3 of run run-a missing (got 1/3, 3/3)') });
    expect(err([make(0, 2), make(1, 2, { runId: 'run-b' })])?.message).toMatch(/run id run-b differs .*different runs/);
    const other = make(1, 2);
    other.shard!.scenarioHash = 'otherhash';
    expect(err([make(0, 2), other])?.message).toMatch(/hash otherhash\) differs .*same scenario/);
    expect(err([make(0, 2), make(1, 3)])?.message).toMatch(/one of 3, but .* one of 2/);
    expect(err([make(0, 2), make(0, 2)])?.message).toMatch(/shard 1\/2 given twice/);
    const plain = make(0, 1);
    delete plain.shard;
    expect(err([plain])).toEqual({ code: 2, message: expect.stringContaining("not a shard's results") });
    const v2 = make(1, 2);
    (v2 as { schema: string }).schema = 'framebench/results@2';
    expect(err([make(0, 2), v2])?.message).toMatch(/schema framebench\/results@2 differs/);
  });

  it('merges repeat k of every shard with repeat k of the others, then aggregates the repeats', () => {
    const shard = (index: number): Results => {
      const runs = [0, 1].map((k) => ({ ...make(index, 2, { startMs: START + k * 30_000, seed: k + 1 }).cells[0]!, repeat: k }));
      const r = make(index, 2);
      r.cells = [aggregateRepeats(runs)];
      return r;
    };
    const shards = [shard(0), shard(1)];
    const { results } = mergeShardResults(files(shards));
    const cell = results.cells[0]!;
    expect(cell.repeats).toHaveLength(2);
    for (const k of [0, 1]) {
      expect(cell.repeats![k]!.counts.framesReceived).toBe(shards.reduce((n, r) => n + r.cells[0]!.repeats![k]!.counts.framesReceived, 0));
      expect(cell.repeats![k]!.timeseries).toHaveLength(20);
    }
    expect(cell.counts.framesReceived).toBe(shards.reduce((n, r) => n + r.cells[0]!.counts.framesReceived, 0));
    expect(cell.latencyMs.frame.count).toBe(cell.repeats![0]!.latencyMs.frame.count + cell.repeats![1]!.latencyMs.frame.count);
    expect(cell.byShard?.map((b) => b.shard)).toEqual(['1/2', '2/2']);
  });

  it('fails a merged result when a shard has no results for a cell', () => {
    const a = make(0, 2);
    const b = make(1, 2);
    b.cells = [];
    const { results } = mergeShardResults(files([a, b]));
    expect(results.ok).toBe(false);
    expect(results.merge?.incompleteCells).toEqual(['default (no results from shard 2/2)']);
    expect(results.cells[0]!.events[0]?.kind).toBe('merge-incomplete');
  });
});
