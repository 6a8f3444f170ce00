// Synchronised start: parse --start-at, check it is not already past, and schedule each cell so
// that its measured window starts on a whole wall-clock second in every shard (windows line up).
import { TargetError, UsageError } from '../errors.js';
import { parseDuration } from '../text/duration.js';
import type { CellPlan } from '../scenario/sweep.js';
import type { Stage } from '../scenario/stages.js';
import { stagesDurationMs } from '../scenario/stages.js';

/** How late a shard may start by default: past this it fails instead of running out of step. */
export const DEFAULT_START_TOLERANCE_MS = 5000;
/** Time after a cell's drain for the pool to close its connections, before the next cell's slot. */
export const CELL_CLOSE_SLACK_MS = 3000;

/** An ISO 8601 time with a zone (e.g. 2026-12-01T21:00:00Z) → epoch ms. */
export function parseStartAt(text: string): number {
  const t = text.trim();
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--start-at ${text}: expected an ISO 8601 time with a zone, e.g. --start-at ${new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000).toISOString()}`);
  return ms;
}

export function parseTolerance(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--start-tolerance ${text}: expected a duration such as 5s`);
  return ms;
}

/** Throws (exit 3) when `atMs` lies further in the past than the tolerance allows. */
export function checkNotPast(atMs: number, nowMs: number, toleranceMs: number, what = 'the start time'): void {
  const late = nowMs - atMs;
  if (late > toleranceMs) {
    throw new TargetError(
      `${what} ${new Date(atMs).toISOString()} passed ${(late / 1000).toFixed(1)} s ago (tolerance ${(toleranceMs / 1000).toFixed(1)} s): this shard would run out of step with the others; start every shard again with a later --start-at, e.g. --start-at ${new Date(Math.ceil((nowMs + 120_000) / 1000) * 1000).toISOString()}`,
    );
  }
}

/** Ramp-up plus warm-up of a cell (0 with stages): the time from its pool start to its measured window. */
export function leadMs(plan: CellPlan, stages?: readonly Stage[]): number {
  return stages ? 0 : (parseDuration(plan.params.rampUp) ?? 0) + (parseDuration(plan.params.warmup) ?? 0);
}

/** A cell's planned length from pool start to the end of its drain, plus the close slack. */
export function slotMs(plan: CellPlan, stages?: readonly Stage[]): number {
  const measure = stages ? stagesDurationMs(stages) : (parseDuration(plan.params.duration) ?? 0);
  return leadMs(plan, stages) + measure + (parseDuration(plan.params.drainTimeout) ?? 0) + CELL_CLOSE_SLACK_MS;
}

/**
 * Pool start time (epoch ms) of every cell: the first at or after `startAtMs`, each next one after
 * the previous slot, shifted so that every measured window begins on a whole second.
 */
export function cellSchedule(plans: readonly CellPlan[], startAtMs: number, stages?: readonly Stage[]): number[] {
  const out: number[] = [];
  let at = startAtMs;
  for (const plan of plans) {
    const lead = leadMs(plan, stages);
    const start = Math.ceil((at + lead) / 1000) * 1000 - lead;
    out.push(start);
    at = start + slotMs(plan, stages);
  }
  return out;
}

/**
 * The pool start for a cell scheduled at `scheduledMs` when it is `nowMs`: the schedule itself if
 * still ahead, else the next moment whose measured window (after `lead` ms) begins on a whole
 * second, so a shard that is a little late still has windows on the same wall-clock seconds.
 */
export function effectiveStart(scheduledMs: number, nowMs: number, lead: number): number {
  if (scheduledMs >= nowMs) return scheduledMs;
  return Math.ceil((nowMs + lead) / 1000) * 1000 - lead;
}
