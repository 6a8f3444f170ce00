// Reads k6 `--out json` files sample by sample into cells: which metric feeds which histogram or
// counter, which tag names the cell, and the VU gauge per runner and second.
import { UsageError } from '../errors.js';
import { clip } from '../text/sanitize.js';
import { ImportedCell, MAX_CELL_SECONDS, type CounterName, type TrendName } from './import-cell.js';
import { CELL_TAG, K6_BUILTINS, K6_METRICS, LEGACY_FRAMES_COUNTER, REPEAT_TAG } from './metric-names.js';
import { ndjsonLines } from './ndjson-lines.js';

const TRENDS: Record<string, TrendName> = {
  [K6_METRICS.frameLatency.name]: 'frame',
  [K6_METRICS.lateness.name]: 'lateness',
  [K6_METRICS.firstFrame.name]: 'firstFrame',
  [K6_METRICS.startup.name]: 'startup',
  [K6_METRICS.displayLatency.name]: 'displayLatency',
  [K6_METRICS.gap.name]: 'gap',
  [K6_METRICS.timeToDone.name]: 'timeToDone',
  [K6_BUILTINS.connecting]: 'connect',
};

const COUNTERS: Record<string, CounterName> = {
  [K6_METRICS.framesReceived.name]: 'framesReceived',
  [K6_METRICS.framesExpected.name]: 'framesExpected',
  [K6_METRICS.framesLost.name]: 'framesLost',
  [K6_METRICS.framesDuplicated.name]: 'framesDuplicated',
  [K6_METRICS.frameBytes.name]: 'frameBytes',
  [K6_METRICS.requests.name]: 'requests',
  [K6_METRICS.requestsCompleted.name]: 'requestsCompleted',
  [K6_METRICS.stalls.name]: 'stalls',
  [K6_METRICS.stallTime.name]: 'stallTime',
  [K6_METRICS.playedTime.name]: 'playedTime',
  [K6_METRICS.reconnects.name]: 'reconnects',
  [K6_METRICS.connectFailures.name]: 'connectFailures',
  [K6_METRICS.errors.name]: 'errors',
  [K6_METRICS.messagesBinary.name]: 'messagesBinary',
  [K6_METRICS.messagesText.name]: 'messagesText',
  [LEGACY_FRAMES_COUNTER]: 'legacyFrames',
};

const PROGRESS_LINES = 1_000_000;
/** Cell ids come from k6 tags: printable, at most this long. */
const MAX_CELL_ID_CHARS = 100;

/** Cells (k6 scenarios) one import may hold: more is not one framebench scenario's output. */
export const MAX_CELLS = 1000;

export interface FileStats {
  file: string;
  lines: number;
  samples: number;
  /** Samples of metrics the import does not use: k6 built-ins such as data_received, and the Rates
   * frame_loss / playback_stall_ratio (k6's own thresholds; the counts and stall times are exact). */
  ignored: number;
}

export class SampleReader {
  readonly cells = new Map<string, ImportedCell>();
  readonly files: FileStats[] = [];
  /** Target URLs seen in the `url` tag of WebSocket samples (a few). */
  readonly urls = new Set<string>();
  /** Per runner file: VUs at each wall-clock second (last value in that second). */
  private readonly vus: Array<Map<number, number>> = [];

  cell(id: string, repeat: number): ImportedCell {
    const key = `${id}\u0000${repeat}`;
    let c = this.cells.get(key);
    if (!c) {
      if (this.cells.size >= MAX_CELLS) throw new UsageError(`more than ${MAX_CELLS} distinct cells (k6 scenarios / cell tags): not the output of one scenario`);
      c = new ImportedCell(id, repeat);
      this.cells.set(key, c);
    }
    return c;
  }

  /** VUs active at a wall-clock second, summed over the runners (k6's `vus` gauge). */
  connectionsAt(sec: number): number {
    let n = 0;
    for (const m of this.vus) n += m.get(sec) ?? m.get(sec - 1) ?? 0;
    return n;
  }

  /** Called every PROGRESS_LINES lines of a file (long imports say how far they got). */
  onProgress?: (stats: FileStats) => void;

  async read(file: string, maxLineBytes?: number): Promise<FileStats> {
    const stats: FileStats = { file, lines: 0, samples: 0, ignored: 0 };
    const vus = new Map<number, number>();
    this.vus.push(vus);
    let k6Lines = 0;
    for await (const { text, lineNo } of ndjsonLines(file, maxLineBytes)) {
      stats.lines++;
      if (stats.lines % PROGRESS_LINES === 0) this.onProgress?.(stats);
      if (text.trim() === '') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`${file}:${lineNo}: not JSON (${(err as Error).message}); expected k6 --out json output, one object a line`);
      }
      const rec = doc as { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: unknown } };
      if (rec === null || typeof rec !== 'object') throw new UsageError(`${file}:${lineNo}: expected a JSON object`);
      if (rec.type === 'Metric') {
        k6Lines++;
        continue;
      }
      if (rec.type !== 'Point') continue;
      k6Lines++;
      const name = rec.metric;
      const data = rec.data;
      const timeMs = typeof data?.time === 'string' ? Date.parse(data.time) : Number.NaN;
      if (typeof name !== 'string' || !data || typeof data.value !== 'number' || !Number.isFinite(timeMs)) {
        throw new UsageError(`${file}:${lineNo}: a Point needs "metric", "data.time" (RFC 3339) and a numeric "data.value"`);
      }
      stats.samples++;
      const tags = (data.tags && typeof data.tags === 'object' ? data.tags : {}) as Record<string, unknown>;
      if (name === K6_BUILTINS.vus) {
        if (vus.size < MAX_CELL_SECONDS * 2) vus.set(Math.floor(timeMs / 1000), data.value);
        continue;
      }
      const trend = TRENDS[name];
      const counter = COUNTERS[name];
      if (!trend && !counter) {
        stats.ignored++;
        continue;
      }
      const id = clip(String(tags[CELL_TAG] ?? tags.scenario ?? 'default'), MAX_CELL_ID_CHARS);
      const repeat = Number(tags[REPEAT_TAG] ?? 0) || 0;
      const cell = this.cell(id, repeat);
      if (trend) {
        cell.trend(trend, timeMs, data.value);
        if (trend === 'connect' && typeof tags.url === 'string' && this.urls.size < 8) this.urls.add(clip(tags.url, 200));
      } else if (counter) cell.counter(counter, timeMs, data.value, typeof tags.kind === 'string' ? tags.kind : undefined);
    }
    if (k6Lines === 0) throw new UsageError(`${file}: no k6 Metric or Point lines; expected the output of k6 run --out json=FILE`);
    this.files.push(stats);
    return stats;
  }
}
