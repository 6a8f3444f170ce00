// The identity a sharded run shares: a hash of the resolved scenario and a run id every shard
// derives alike (from --run-id, or from the start time and that hash), so merge can tell shards apart.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { newRunId } from '../results/write.js';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

/** sha256 of the scenario with sorted keys, first 12 hex digits. */
export function scenarioHash(scenario: object): string {
  return createHash('sha256')
    .update(JSON.stringify(stable(scenario)))
    .digest('hex')
    .slice(0, 12);
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkRunId(text: string): string {
  if (!RUN_ID.test(text)) throw new UsageError(`--run-id ${text}: expected 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  return text;
}

/** `<start stamp>-<scenario name>-<hash>`: the same in every shard given the same scenario and --start-at. */
export function sharedRunId(name: string, hash: string, startAtMs: number): string {
  return `${newRunId(name, new Date(startAtMs))}-${hash.slice(0, 8)}`;
}
