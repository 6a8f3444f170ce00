// Why a run passed or failed, as plain lines shared by the terminal and the markdown summary:
// cell failures (measured nothing, unreadable messages), thresholds that failed or were not
// measured, skipped optional thresholds, and soak drift thresholds.
import type { CellFailure, Results, ThresholdResult } from '../results/types.js';
import { describeThreshold, thresholdStatus } from '../metrics/thresholds.js';

export interface ThresholdTally {
  total: number;
  failed: number;
  notMeasured: number;
  skipped: number;
}

export interface VerdictItem {
  /** Cell id, or "soak" for drift thresholds. */
  where: string;
  text: string;
}

export function tally(list: readonly ThresholdResult[]): ThresholdTally {
  const out: ThresholdTally = { total: list.length, failed: 0, notMeasured: 0, skipped: 0 };
  for (const t of list) {
    const s = thresholdStatus(t);
    if (s === 'fail') out.failed++;
    else if (s === 'not_measured') out.notMeasured++;
    else if (s === 'skipped') out.skipped++;
  }
  return out;
}

/** "3 of 12 failed (2 not measured), 1 skipped" / "all 12 passed" / "11 passed, 1 skipped". */
export function tallyText(t: ThresholdTally): string {
  const bad = t.failed + t.notMeasured;
  const skipped = t.skipped > 0 ? `, ${t.skipped} skipped (optional, not measured)` : '';
  if (bad > 0) return `${bad} of ${t.total} failed${t.notMeasured > 0 ? ` (${t.notMeasured} not measured)` : ''}${skipped}`;
  if (t.skipped === 0) return `all ${t.total} passed`;
  return `${t.total - t.skipped} of ${t.total} passed${skipped}`;
}

const allThresholds = (results: Results): ThresholdResult[] => results.cells.flatMap((c) => c.thresholds ?? []);
const driftThresholds = (results: Results): ThresholdResult[] => results.soak?.driftThresholds ?? [];

export function cellFailureItems(results: Results): Array<VerdictItem & { failure: CellFailure }> {
  return results.cells.flatMap((c) => (c.failures ?? []).map((f) => ({ where: c.id, text: f.reason, failure: f })));
}

/** Failed and not-measured thresholds (cells, then drift), each as its one-line description. */
export function failedThresholdItems(results: Results): VerdictItem[] {
  const cells = results.cells.flatMap((c) => (c.thresholds ?? []).filter((t) => isFailing(t)).map((t) => ({ where: c.id, text: describeThreshold(t) })));
  const drift = driftThresholds(results)
    .filter(isFailing)
    .map((t) => ({ where: 'soak', text: describeThreshold(t) }));
  return [...cells, ...drift];
}

export function skippedThresholdItems(results: Results): VerdictItem[] {
  const cells = results.cells.flatMap((c) => (c.thresholds ?? []).filter((t) => thresholdStatus(t) === 'skipped').map((t) => ({ where: c.id, text: describeThreshold(t) })));
  const drift = driftThresholds(results)
    .filter((t) => thresholdStatus(t) === 'skipped')
    .map((t) => ({ where: 'soak', text: describeThreshold(t) }));
  return [...cells, ...drift];
}

function isFailing(t: ThresholdResult): boolean {
  const s = thresholdStatus(t);
  return s === 'fail' || s === 'not_measured';
}

/** Cell and drift thresholds together. */
export function runTally(results: Results): ThresholdTally {
  return tally([...allThresholds(results), ...driftThresholds(results)]);
}

/** The one-line reason a run failed, e.g. "1 of 4 cells failed · 3 of 12 thresholds failed (3 not measured)". */
export function failSummary(results: Results): string {
  const parts: string[] = [];
  const failedCells = results.cells.filter((c) => (c.failures ?? []).length > 0).length;
  if (results.cells.length === 0) parts.push('no cell ran: nothing was measured');
  if (failedCells > 0) parts.push(`${failedCells} of ${results.cells.length} cell${results.cells.length === 1 ? '' : 's'} failed`);
  const t = runTally(results);
  if (t.failed + t.notMeasured > 0) parts.push(`${t.failed + t.notMeasured} of ${t.total} threshold${t.total === 1 ? '' : 's'} failed${t.notMeasured > 0 ? ` (${t.notMeasured} not measured)` : ''}`);
  if (parts.length === 0 && !results.ok) parts.push('the run is marked failed');
  return parts.join(' · ');
}
