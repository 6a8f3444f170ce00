// Messages between the main process and client worker processes.
import type { CollectorSnapshot } from '../metrics/collector.js';
import type { TimeseriesPoint } from '../results/types.js';
import type { PoolOptions } from './pool-options.js';

export type WorkerPoolOptions = Omit<PoolOptions, 'signal'>;

export type ToWorker = { type: 'run'; options: WorkerPoolOptions; startAt: number } | { type: 'abort' } | { type: 'kill'; indices: number[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'phase'; phase: 'ramp-up' | 'warm-up' | 'measure' | 'drain' | 'done'; atMs?: number }
  | { type: 'tick'; point: TimeseriesPoint }
  | { type: 'stage'; index: number }
  | { type: 'status'; connections: number }
  | { type: 'done'; snapshot: CollectorSnapshot }
  | { type: 'error'; message: string };
