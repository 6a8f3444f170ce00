// Append-only time-series file (timeseries.ndjson) beside results.json: one line per window as the
// run goes, so a crashed or killed harness still leaves what it measured, and `bench report` can
// render it. The first line identifies the run.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimeseriesPoint } from './results-types.js';

export const TIMESERIES_SCHEMA = 'framebench/timeseries@1';
export const TIMESERIES_FILE = 'timeseries.ndjson';

export interface TimeseriesHeader {
  schema: typeof TIMESERIES_SCHEMA;
  runId: string;
  startedAt: string;
  scenario: Record<string, unknown>;
}

export class TimeseriesLog {
  private constructor(readonly file: string) {}

  static async open(dir: string, header: Omit<TimeseriesHeader, 'schema'>): Promise<TimeseriesLog> {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, TIMESERIES_FILE);
    writeFileSync(file, `${JSON.stringify({ schema: TIMESERIES_SCHEMA, ...header })}\n`);
    return new TimeseriesLog(file);
  }

  /** One synchronous append per window (once a second): survives a kill -9 right after. */
  append(cell: string, point: TimeseriesPoint): void {
    appendFileSync(this.file, `${JSON.stringify({ cell, ...point })}\n`);
  }
}

export interface TimeseriesLogContent {
  header: TimeseriesHeader;
  cells: Map<string, TimeseriesPoint[]>;
}

/** Reads a log; a torn last line (killed mid-write) is ignored. */
export function readTimeseriesLog(file: string): TimeseriesLogContent {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = JSON.parse(lines[0] ?? '{}') as TimeseriesHeader;
  if (header.schema !== TIMESERIES_SCHEMA) throw new Error(`${file}: not a framebench time-series log (schema ${JSON.stringify(header.schema ?? null)})`);
  const cells = new Map<string, TimeseriesPoint[]>();
  for (const line of lines.slice(1)) {
    let rec: TimeseriesPoint & { cell: string };
    try {
      rec = JSON.parse(line) as TimeseriesPoint & { cell: string };
    } catch {
      continue;
    }
    const { cell, ...point } = rec;
    const list = cells.get(cell) ?? [];
    list.push(point);
    cells.set(cell, list);
  }
  return { header, cells };
}
