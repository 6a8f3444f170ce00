// Which shard of a distributed run this process is, and its share of the scenario: clients, stage
// targets, fault counts and source addresses, split so that N shards together are the scenario.
import { UsageError } from '../errors.js';
import type { ChaosEntry } from '../chaos/schema.js';
import type { Stage } from '../scenario/stages.js';

export interface ShardSpec {
  /** 0-based (as JOB_COMPLETION_INDEX); shown to people as `index + 1`/`count`. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 1024;

export const shardLabel = (s: ShardSpec): string => `${s.index + 1}/${s.count}`;

/**
 * `--shard I/N` (I from 1 to N), or `--shard N` with the index taken from JOB_COMPLETION_INDEX
 * (0-based, as a Kubernetes Indexed Job sets it).
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const whole = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s) : NaN);
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m) {
    const i = Number(m[1]);
    const n = Number(m[2]);
    if (!(n >= 1 && n <= MAX_SHARDS) || !(i >= 1 && i <= n)) throw new UsageError(`--shard ${text}: expected I/N with 1 ≤ I ≤ N ≤ ${MAX_SHARDS}, e.g. --shard 2/4`);
    return { index: i - 1, count: n };
  }
  const n = whole(text);
  if (!(n >= 1 && n <= MAX_SHARDS)) throw new UsageError(`--shard ${text}: expected I/N (e.g. 2/4), or N alone to take the index from JOB_COMPLETION_INDEX`);
  const raw = env.JOB_COMPLETION_INDEX;
  if (raw === undefined || raw === '') throw new UsageError(`--shard ${text}: no index given and JOB_COMPLETION_INDEX is not set; pass --shard I/${n} (I from 1 to ${n})`);
  const idx = whole(raw);
  if (!(idx >= 0 && idx < n)) throw new UsageError(`JOB_COMPLETION_INDEX=${raw}: expected 0 to ${n - 1} for --shard ${n}`);
  return { index: idx, count: n };
}

/** This shard's part of `total` (the first `total % count` shards take one more). */
export function shareOf(total: number, s: ShardSpec): number {
  return Math.floor(total / s.count) + (s.index < total % s.count ? 1 : 0);
}

/** Global index of this shard's first client: shards hold disjoint, consecutive ranges. */
export function offsetOf(total: number, s: ShardSpec): number {
  let n = 0;
  for (let i = 0; i < s.index; i++) n += shareOf(total, { index: i, count: s.count });
  return n;
}

export function shardStages(stages: readonly Stage[], s: ShardSpec): Stage[] {
  return stages.map((st) => ({ durationMs: st.durationMs, target: shareOf(st.target, s) }));
}

/**
 * Faults as one shard applies them. Fractions act on the shard's own clients (or its own proxy),
 * so they stay; counts are split; a shell `command` runs once, on the first shard.
 */
export function shardChaos(entries: readonly ChaosEntry[], s: ShardSpec): ChaosEntry[] {
  const out: ChaosEntry[] = [];
  for (const e of entries) {
    if (e.kind === 'command') {
      if (s.index === 0) out.push(e);
      continue;
    }
    if ((e.kind === 'kill-clients' || e.kind === 'drop-connections') && e.count !== undefined) {
      const count = shareOf(e.count, s);
      if (count > 0) out.push({ ...e, count });
      continue;
    }
    out.push(e);
  }
  return out;
}

/** A shard's source addresses: every N-th of the list (its own stripe), or one of them when the list is shorter than N. */
export function shardAddresses(list: readonly string[] | undefined, s: ShardSpec): string[] | undefined {
  if (!list?.length) return undefined;
  if (list.length < s.count) return [list[s.index % list.length] as string];
  return list.filter((_, i) => i % s.count === s.index);
}
