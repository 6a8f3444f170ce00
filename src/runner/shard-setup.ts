// A shard's view of the run: its share of each cell, the identity it records in results.json,
// and the messages of a synchronised start.
import { hostname } from 'node:os';
import type { ClockEstimate } from '../client/clock-sync.js';
import type { Stage } from '../scenario/stages.js';
import { UsageError } from '../errors.js';
import type { ShardInfo } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { CellPlan } from '../scenario/sweep.js';
import { scenarioHash } from '../shard/run-id.js';
import { shardLabel, shareOf, type ShardSpec } from '../shard/spec.js';
import { checkNotPast, effectiveStart } from '../shard/start-at.js';
import type { RunProgress } from './run-options.js';

/** Every cell with this shard's share of its clients; fails when a shard would get none. */
export function shardPlans(plans: readonly CellPlan[], shard: ShardSpec, stages?: readonly Stage[]): CellPlan[] {
  return plans.map((p) => {
    const total = stages ? Math.max(0, ...stages.map((s) => s.target)) : p.params.clients;
    const mine = shareOf(total, shard);
    if (mine < 1) {
      throw new UsageError(`cell ${p.id}: ${total} clients cannot be split over ${shard.count} shards (shard ${shardLabel(shard)} would get none); use at most ${total} shards or more clients`);
    }
    return { ...p, params: { ...p.params, clients: mine } };
  });
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function shardInfo(shard: ShardSpec, scenario: Scenario, clock: ClockEstimate, sourceAddresses: string[] | undefined, startAtMs: number | undefined): ShardInfo {
  return {
    index: shard.index,
    count: shard.count,
    label: shardLabel(shard),
    scenarioHash: scenarioHash(scenario),
    ...(startAtMs !== undefined ? { startAt: new Date(startAtMs).toISOString() } : {}),
    host: hostname(),
    clock: { offsetMs: r3(clock.offsetUs / 1000), uncertaintyMs: r3(clock.uncertaintyUs / 1000), samples: clock.samples },
    ...(sourceAddresses?.length ? { sourceAddresses } : {}),
  };
}

/**
 * Says that (and how long) this process waits for a scheduled cell start, and returns the pool
 * start to use. The first cell fails when its start has passed beyond the tolerance (set-up took
 * too long); a late cell otherwise warns and starts on the next whole-second boundary.
 */
export function announceStart(atMs: number, leadMs: number, first: boolean, toleranceMs: number, shard: ShardSpec | undefined, emit: (p: RunProgress) => void): number {
  const now = Date.now();
  const who = shard ? `shard ${shardLabel(shard)}: ` : '';
  if (first) checkNotPast(atMs, now, toleranceMs, 'the scheduled start');
  const start = effectiveStart(atMs, now, leadMs);
  if (atMs > now) emit({ type: 'waiting', untilMs: atMs, message: `${who}waiting until ${new Date(atMs).toISOString()} (in ${((atMs - now) / 1000).toFixed(1)} s) for the synchronised start` });
  else emit({ type: 'log', message: `warning: ${who}cell starts ${((start - atMs) / 1000).toFixed(1)} s after its scheduled time (set-up or the previous cell took longer); its first windows will lack the other shards` });
  return start;
}
