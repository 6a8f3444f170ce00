// What a pool of clients takes and tells: its options (plain data, so they cross to worker
// processes), its events, and the face the runner and the chaos engine see, in-process or not.
import type { EventEmitter } from 'node:events';
import type { CollectorSnapshot } from '../metrics/collector.js';
import type { RunEvent, TimeseriesPoint } from '../results/types.js';
import type { ClientContext, ReconnectPolicy } from './client-context.js';
import type { CellParams } from '../scenario/schema.js';
import type { Stage } from '../scenario/stages.js';
import type { ProtocolConfig } from '../protocol/adapters/schema.js';

export interface PoolOptions {
  url: string;
  params: CellParams;
  offsetUs: number;
  wsOptions: ClientContext['wsOptions'];
  signal?: AbortSignal;
  reconnect?: ReconnectPolicy;
  /** Client-side liveness: ping after intervalMs of silence, reconnect after timeoutMs. */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  seed?: number;
  /** Local source addresses spread over the clients (round robin by global client index). */
  localAddresses?: string[];
  /** Length of a time-series window, ms (default 1000; shorter only to simulate long runs quickly). */
  windowMs?: number;
  /** Global index of this pool's first client (pools in worker processes each run a slice). */
  indexOffset?: number;
  /**
   * Stages instead of a fixed client count: clients follow the stage targets during the measured
   * window (no ramp-up or warm-up phase; its length is the stages' total).
   */
  stages?: Stage[];
  /** Wall-clock time (epoch ms) to start at: a synchronised start across shards. */
  startAtMs?: number;
  /** Prepended to every session name (keeps sessions of different shards apart). */
  sessionTag?: string;
  /** The scenario's `protocol:` (plain data, so it crosses to worker processes); default reference. */
  protocol?: ProtocolConfig;
}

export interface PoolEvents {
  /** `atMs`: wall-clock time the phase began (epoch ms). */
  phase: [phase: 'ramp-up' | 'warm-up' | 'measure' | 'drain' | 'done', atMs?: number];
  tick: [point: TimeseriesPoint];
  stage: [index: number, target: number];
}

/** What the runner and the chaos engine need from a pool, in-process or across worker processes. */
export interface LoadPool extends EventEmitter<PoolEvents> {
  readonly connections: number;
  readonly events: RunEvent[];
  killClients(pick: (n: number) => number[]): number;
  run(): Promise<CollectorSnapshot>;
}
