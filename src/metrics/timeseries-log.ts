// Append-only time-series file (timeseries.ndjson) beside results.json: one line per window as the
// run goes, so a crashed or killed harness still leaves what it measured, and `bench report` can
// render it. The first line identifies the run.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes, MAX_NESTING, nestingDepth } from '../input-bounds.js';
import type { TimeseriesPoint } from '../results/types.js';

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

/** Longest line a log may hold (a window with its histogram is a few KiB; the header holds the scenario). */
export const MAX_LOG_LINE_BYTES = 4 * 1024 * 1024;

const POINT_NUMBERS = ['t', 'framesPerSec', 'bytesPerSec', 'errors'] as const;

function pointProblem(rec: Record<string, unknown>): string | undefined {
  if (typeof rec.cell !== 'string' || rec.cell === '' || rec.cell.length > 1000) return 'cell: expected a cell id';
  for (const k of POINT_NUMBERS) if (typeof rec[k] !== 'number' || !Number.isFinite(rec[k])) return `${k}: expected a number`;
  if (rec.hdr !== undefined && typeof rec.hdr !== 'string') return 'hdr: expected compressed base64 text';
  return undefined;
}

/** Reads a log; a torn last line (killed mid-write) is ignored, any other bad line is an error naming it. */
export function readTimeseriesLog(file: string): TimeseriesLogContent {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((l, i) => {
    if (l.length > MAX_LOG_LINE_BYTES) {
      throw new Error(`line ${i + 1} is ${formatBytes(l.length)} long, over the ${formatBytes(MAX_LOG_LINE_BYTES)} a framebench time-series line can be: not a framebench timeseries.ndjson`);
    }
  });
  const numbered = lines.map((text, i) => ({ text, n: i + 1 })).filter((l) => l.text.trim() !== '');
  let header: TimeseriesHeader;
  try {
    header = JSON.parse(numbered[0]?.text ?? '{}') as TimeseriesHeader;
  } catch {
    throw new Error('line 1: not JSON: not a framebench time-series log');
  }
  if (header?.schema !== TIMESERIES_SCHEMA) throw new Error(`not a framebench time-series log (schema ${JSON.stringify(header?.schema ?? null)})`);
  if (typeof header.startedAt !== 'string' || Number.isNaN(Date.parse(header.startedAt))) throw new Error('line 1: startedAt: expected an ISO 8601 time');
  if (typeof header.runId !== 'string') throw new Error('line 1: runId: expected text');
  if (typeof header.scenario !== 'object' || header.scenario === null || nestingDepth(header.scenario) > MAX_NESTING) {
    throw new Error(`line 1: scenario: expected a map nested at most ${MAX_NESTING} levels`);
  }
  const cells = new Map<string, TimeseriesPoint[]>();
  const body = numbered.slice(1);
  for (const [i, { text, n }] of body.entries()) {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(text) as Record<string, unknown>;
    } catch {
      if (i === body.length - 1) continue;
      throw new Error(`line ${n}: not JSON`);
    }
    const problem = typeof rec === 'object' && rec !== null ? pointProblem(rec) : 'expected a time-series point';
    if (problem) throw new Error(`line ${n}: ${problem}`);
    const { cell, ...point } = rec as unknown as TimeseriesPoint & { cell: string };
    const list = cells.get(cell) ?? [];
    list.push(point);
    cells.set(cell, list);
  }
  return { header, cells };
}
