// Do these results files belong together? One run id, one scenario, one shard count, every shard
// exactly once: else a usage error (exit 2) naming the file and what differs or is missing.
import { UsageError } from '../errors.js';
import type { Results, ShardInfo } from '../results/types.js';

export interface ShardFile {
  file: string;
  results: Results;
}

export interface CheckedShards {
  /** Sorted by shard index. */
  shards: Array<ShardFile & { shard: ShardInfo }>;
  warnings: string[];
}

export function checkShards(files: readonly ShardFile[]): CheckedShards {
  if (files.length === 0) throw new UsageError('bench merge: no results files given; e.g. bench merge reports/<run-id>/shard-*/results.json -o reports/<run-id>/merged');
  const withShard = files.map((f) => {
    const shard = f.results.shard;
    if (!shard) throw new UsageError(`${f.file}: not a shard's results (no "shard" field); only runs made with --shard I/N can be merged`);
    return { ...f, shard };
  });
  const first = withShard[0] as (typeof withShard)[number];
  const warnings: string[] = [];
  for (const f of withShard.slice(1)) {
    const s = f.shard;
    if (f.results.schema !== first.results.schema) throw new UsageError(`${f.file}: schema ${f.results.schema} differs from ${first.file} (${first.results.schema}); merge shards written by the same framebench version`);
    if (f.results.runId !== first.results.runId) {
      throw new UsageError(`${f.file}: run id ${f.results.runId} differs from ${first.file} (${first.results.runId}): these shards belong to different runs`);
    }
    if (s.scenarioHash !== first.shard.scenarioHash) {
      throw new UsageError(`${f.file}: scenario ${f.results.scenario.name as string} (hash ${s.scenarioHash}) differs from ${first.file} (hash ${first.shard.scenarioHash}): every shard must run the same scenario with the same overrides`);
    }
    if (s.count !== first.shard.count) throw new UsageError(`${f.file}: shard ${s.label} is one of ${s.count}, but ${first.file} is one of ${first.shard.count}`);
    if (f.results.tool.version !== first.results.tool.version) warnings.push(`${f.file}: written by framebench ${f.results.tool.version}, ${first.file} by ${first.results.tool.version}`);
  }
  const count = first.shard.count;
  const byIndex = new Map<number, (typeof withShard)[number]>();
  for (const f of withShard) {
    const dup = byIndex.get(f.shard.index);
    if (dup) throw new UsageError(`shard ${f.shard.label} given twice: ${dup.file} and ${f.file}`);
    byIndex.set(f.shard.index, f);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) {
    const names = missing.map((i) => `${i + 1}/${count}`).join(', ');
    throw new UsageError(`shard${missing.length > 1 ? 's' : ''} ${names} of run ${first.results.runId} missing (got ${[...byIndex.values()].map((f) => f.shard.label).join(', ')}); give every shard's results.json`);
  }
  return { shards: [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index), warnings };
}
