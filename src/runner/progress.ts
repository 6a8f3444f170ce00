// The events a run reports as it goes (log lines, corpus building, cell start and end, per-second
// ticks, files written): the engine emits them through `onProgress`; the CLI renders them.
import type { CellResult, TimeseriesPoint } from '../metrics/results-types.js';
import type { CellPlan } from '../scenario/sweep.js';

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
