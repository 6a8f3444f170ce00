// Flags of a distributed run, shared by run, sweep and soak: --shard, --start-at, --run-id and
// --metrics-port; their translation into run options and the live metrics endpoint.
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { MetricsEndpoint } from '../live/server.js';
import { newRunId } from '../results/write.js';
import type { RunOptions, RunProgress } from '../runner/run-options.js';
import type { LoadedScenario } from '../scenario/load.js';
import { checkRunId, scenarioHash, sharedRunId } from '../shard/run-id.js';
import { parseShard, shardLabel, type ShardSpec } from '../shard/spec.js';
import { DEFAULT_START_TOLERANCE_MS, parseStartAt, parseTolerance } from '../shard/start-at.js';

export interface DistributedFlags {
  shard?: string;
  startAt?: string;
  startTolerance?: string;
  runId?: string;
  metricsPort?: string;
  metricsHost?: string;
  out?: string;
}

export function addDistributedFlags(cmd: Command): Command {
  return cmd
    .option(
      '--shard <I/N>',
      'run shard I of N (1 ≤ I ≤ N): its share of the clients, stage targets, fault counts and source addresses; `--shard N` takes I from JOB_COMPLETION_INDEX (0-based) as in a Kubernetes Indexed Job; results go to <out>/shard-<I> (default out: reports/<run-id>)',
    )
    .option('--start-at <time>', "synchronised start: wait until this ISO 8601 time (e.g. 2026-12-01T21:00:00Z) so all shards' per-second windows line up; exits 3 when it is already past by more than --start-tolerance")
    .option('--start-tolerance <duration>', 'how late past --start-at a shard may still start', `${DEFAULT_START_TOLERANCE_MS / 1000}s`)
    .option('--run-id <id>', "run id shared by all shards (default: derived from --start-at and the scenario's hash)")
    .option('--metrics-port <port>', 'serve live Prometheus metrics of this process on this port (0 = any free port) at /metrics')
    .option('--metrics-host <address>', 'address the live metrics listen on', '0.0.0.0');
}

export interface Distributed {
  shard?: ShardSpec;
  runId: string;
  startAtMs?: number;
  startToleranceMs: number;
  outDir?: string;
}

export function distributedFrom(flags: DistributedFlags, loaded: LoadedScenario): Distributed {
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const startAtMs = flags.startAt === undefined ? undefined : parseStartAt(flags.startAt);
  const startToleranceMs = parseTolerance(flags.startTolerance ?? `${DEFAULT_START_TOLERANCE_MS}ms`);
  let runId = flags.runId === undefined ? undefined : checkRunId(flags.runId);
  if (runId === undefined && startAtMs !== undefined) runId = sharedRunId(loaded.scenario.name, scenarioHash(loaded.scenario), startAtMs);
  if (shard && runId === undefined) {
    throw new UsageError(`--shard ${flags.shard}: a sharded run needs --start-at (so shards start together and share a run id) or --run-id, so \`bench merge\` can tell its shards belong together`);
  }
  runId ??= newRunId(loaded.scenario.name);
  const outDir = shard ? join(flags.out ?? join('reports', runId), `shard-${shard.index + 1}`) : flags.out;
  return { ...(shard ? { shard } : {}), runId, ...(startAtMs !== undefined ? { startAtMs } : {}), startToleranceMs, ...(outDir ? { outDir } : {}) };
}

export function metricsPortFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--metrics-port ${text}: expected a port from 0 (any free port) to 65535`);
  return n;
}

export interface LiveHook {
  onProgress(p: RunProgress): void;
  close(): Promise<void>;
}

/** Starts the live metrics endpoint when asked for; its hook feeds every closed window into it. */
export async function startLive(flags: DistributedFlags, loaded: LoadedScenario, d: Distributed, log: (line: string) => void): Promise<LiveHook | undefined> {
  const port = metricsPortFrom(flags.metricsPort);
  if (port === undefined) return undefined;
  // loaded here: a run without --metrics-port carries no Prometheus client
  const [{ LiveMetrics }, { serveMetrics }] = await Promise.all([import('../live/metrics.js'), import('../live/server.js')]);
  const metrics = new LiveMetrics({ run_id: d.runId, shard: d.shard ? shardLabel(d.shard) : '1/1', scenario: loaded.scenario.name });
  const endpoint: MetricsEndpoint = await serveMetrics(metrics, port, flags.metricsHost);
  log(`live metrics: ${endpoint.url}`);
  return {
    onProgress(p) {
      if (p.type === 'tick') metrics.window(p.plan.id, p.point, p.connections);
      else if (p.type === 'cell-end') metrics.cellEnded(p.result.id);
    },
    close: () => endpoint.close(),
  };
}

export function runOptionsOf(d: Distributed): Pick<RunOptions, 'shard' | 'runId' | 'startAtMs' | 'startToleranceMs'> {
  return { ...(d.shard ? { shard: d.shard } : {}), runId: d.runId, ...(d.startAtMs !== undefined ? { startAtMs: d.startAtMs } : {}), startToleranceMs: d.startToleranceMs };
}
