// Messages between the main process and camera worker processes (upload cells).
import type { TimeseriesPoint } from '../results/types.js';
import type { TemplateSpec } from './frame-templates.js';
import type { UploadPoolOptions } from './upload-pool.js';
import type { UploadSnapshot } from './upload-collector.js';

/** What a worker needs to run its slice of cameras (the templates are built there from the corpus). */
export type UploadWorkerOptions = Omit<UploadPoolOptions, 'templates' | 'signal' | 'stats'>;

export type ToUploadWorker = { type: 'run'; options: UploadWorkerOptions; templates: TemplateSpec; startAt: number } | { type: 'abort' } | { type: 'kill'; indices: number[] };

export type FromUploadWorker =
  | { type: 'ready' }
  | { type: 'phase'; phase: 'ramp-up' | 'warm-up' | 'measure' | 'drain' | 'done'; atMs: number }
  | { type: 'tick'; point: TimeseriesPoint }
  | { type: 'stage'; index: number; target: number }
  | { type: 'status'; connections: number }
  | { type: 'done'; snapshot: UploadSnapshot }
  | { type: 'error'; message: string };
