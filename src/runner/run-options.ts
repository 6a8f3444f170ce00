// What a run is given (target, output folder, workers, stages, shard, secrets, progress callback)
// and what it gives back (the results and where they were written).
import type { ClientOptions } from 'ws';
import type { Stage } from '../client/stages.js';
import type { Results } from '../metrics/results-types.js';
import type { ShardSpec } from '../shard/spec.js';
import type { RunProgress } from './progress.js';

export interface RunOptions {
  command: string;
  target?: string;
  outDir?: string;
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Client worker processes: a number (0 = in this process) or 'auto' (default 0 for library use). */
  workers?: number | 'auto';
  /** Local source addresses spread over the clients. */
  sourceIps?: string[];
  /** Processes of the embedded reference server (ignored with a target). */
  serverWorkers?: number;
  /** TLS and upgrade options for every connection (headers, ca, rejectUnauthorized). */
  wsOptions?: ClientOptions;
  /** Stages instead of ramp-up/duration (soak). */
  stages?: Stage[];
  /** Strings that must never reach results, reports or logs (tokens, passwords). */
  secrets?: string[];
  /** Append every window to timeseries.ndjson beside results.json as the run goes (crash-safe). */
  appendTimeseries?: boolean;
  /** Run only this shard's share of the scenario (see src/shard/spec.ts). */
  shard?: ShardSpec;
  /** Run id (a sharded run's shards share one). */
  runId?: string;
  /** Synchronised start (epoch ms): cells start on a shared wall-clock schedule. */
  startAtMs?: number;
  /** How late past a scheduled start this process may still begin (default 5 s). */
  startToleranceMs?: number;
}

export interface RunOutcome {
  results: Results;
  file: string;
  outDir: string;
}
