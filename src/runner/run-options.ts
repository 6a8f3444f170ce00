// What a run is asked (RunOptions), what it tells as it goes (RunProgress: the engine reports
// through these events, never by printing) and what it hands back (RunOutcome).
import type { ClientOptions } from 'ws';
import type { CellResult, Results, TimeseriesPoint } from '../results/types.js';
import type { RunHooks } from './run-hooks.js';
import type { CellPlan } from '../scenario/sweep.js';
import type { Stage } from '../scenario/stages.js';
import type { ShardSpec } from '../shard/spec.js';

export type RunProgress =
  | { type: 'log'; message: string }
  /** Waiting for a synchronised start (shown even when quiet: the process is not stuck). */
  | { type: 'waiting'; message: string; untilMs: number }
  | { type: 'corpus'; message: string; done: number; total: number }
  | { type: 'target'; url: string; embedded: boolean }
  | { type: 'cell-start'; index: number; total: number; plan: CellPlan }
  | { type: 'phase'; plan: CellPlan; phase: string }
  | { type: 'tick'; plan: CellPlan; point: TimeseriesPoint; connections: number }
  | { type: 'stage'; plan: CellPlan; index: number; target: number }
  | { type: 'cell-end'; index: number; total: number; result: CellResult }
  | { type: 'written'; file: string };

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
  /** A mode's additions to the run (soak: scraper, drift): see run-hooks.ts. */
  hooks?: RunHooks;
}

export interface RunOutcome {
  results: Results;
  file: string;
  outDir: string;
}
