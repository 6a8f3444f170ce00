// One threshold's outcome as results.json keeps it: the structured expression and its status.
/**
 * pass: measured and held · fail: measured and missed · not_measured: no samples (fails the run) ·
 * skipped: an optional threshold that was not measured (does not fail the run, is not a pass).
 */
export type ThresholdStatus = 'pass' | 'fail' | 'not_measured' | 'skipped';

export interface ThresholdResult {
  expr: string;
  /** False when the threshold fails the run (fail or not_measured); true for pass and skipped. */
  ok: boolean;
  /** The measured value; null when not measured. */
  value: number | null;
  /** Present in results written since fail-closed thresholds; readers treat its absence by `ok`/`value`. */
  status?: ThresholdStatus;
  metric?: string;
  op?: string;
  bound?: number;
  where?: Record<string, Array<string | number | boolean>>;
  optional?: boolean;
  /** Why the metric has no samples, e.g. "0 frames" (not_measured and skipped). */
  reason?: string;
}
