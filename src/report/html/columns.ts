// The per-cell metric columns of the report, built from the metric catalogue (src/metrics/catalogue.ts):
// accessor, unit and formatting, shared by the cell table, threshold views and the grids. Arrival-time
// columns (gaps, time to done, per-stream fps and frames, payload bytes) are optional: shown only
// when some cell measured them.
import { metricDef, REPORT_COLUMNS, type ColumnView, type MetricUnit } from '../../metrics/catalogue.js';
import type { CellResult } from '../../results/types.js';
import { fmtBytes, fmtInt, fmtMs, fmtNum, fmtRatio } from '../../html/format.js';

export type { MetricUnit } from '../../metrics/catalogue.js';

export interface MetricColumn {
  key: string;
  /** The metric's catalogue path, e.g. "throughput.framesPerSec" for the "fps" column. */
  path: string;
  group: string;
  header: string;
  title: string;
  unit: MetricUnit;
  /** Shown in the cell table only when some cell has a value (metrics not every protocol gives). */
  optional?: true;
  /** null when the cell has no sample: shown as "–", never as 0. */
  value(cell: CellResult): number | null;
}

export function formatValue(unit: MetricUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 's':
      return value === null || value === undefined ? fmtNum(value) : `${fmtNum(value)} s`;
    case 'ratio':
      return fmtRatio(value);
    case 'pct':
      return value === null || value === undefined ? fmtNum(value) : `${fmtNum(value)}%`;
    case 'count':
      return fmtInt(value);
    case 'fps':
      return fmtNum(value);
    case 'Bps':
      return value === null || value === undefined ? fmtBytes(value) : `${fmtBytes(value)}/s`;
    case 'bytes':
      return fmtBytes(value);
  }
}

/** Compact cell-table text: units live in the header, so only the number is shown. */
export function formatBare(unit: MetricUnit, value: number | null | undefined): string {
  if (value === null || value === undefined) return fmtNum(value);
  switch (unit) {
    case 'ms':
    case 's':
    case 'pct':
      return fmtNum(value);
    case 'ratio':
      return fmtRatio(value);
    case 'count':
      return fmtInt(value);
    case 'fps':
      return fmtNum(value);
    case 'Bps':
      return fmtNum(value / 1e6);
    case 'bytes':
      return fmtNum(value / 1e3);
  }
}

function column(path: string, view: ColumnView): MetricColumn {
  const def = metricDef(path);
  if (!def) throw new Error(`report column ${view.key}: ${path} is not in the metric catalogue`);
  const title = view.title ?? def.label.charAt(0).toUpperCase() + def.label.slice(1);
  return { key: view.key, path, group: view.group, header: view.header, title, unit: def.unit, ...(view.optional ? { optional: true } : {}), value: def.value };
}

export const METRIC_COLUMNS: readonly MetricColumn[] = REPORT_COLUMNS.map(([path, view]) => column(path, view));

/** The columns of the cell table for these cells: optional ones only where some cell has a value. */
export function visibleColumns(cells: readonly CellResult[]): MetricColumn[] {
  return METRIC_COLUMNS.filter((col) => !col.optional || cells.some((c) => col.value(c) !== null));
}

export function columnByKey(key: string | undefined): MetricColumn | undefined {
  return key === undefined ? undefined : METRIC_COLUMNS.find((c) => c.key === key);
}
