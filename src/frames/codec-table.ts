// The codec table: per corpus entry, size per frame, encode and decode cost and PSNR,
// as rows (for JSON and reports) and as an aligned plain-text table for the terminal.
import type { CodecResult } from '../results/types.js';
import type { FrameFormat } from '../protocol/header.js';
import { effectiveQuality, resolutionLabel, type CorpusKey } from './key.js';
import type { CodecStats } from './codec-stats.js';

/** A results.json codec entry, plus where it came from. */
export interface CodecRow extends CodecResult {
  format: FrameFormat;
  /** True when the entry came from the disk cache rather than being built now. */
  cached: boolean;
}

/** What codecTable needs from a corpus (FrameCorpus implements it). */
export interface CorpusStatsSource {
  summary(key: CorpusKey): Promise<{ key: Required<CorpusKey>; stats: CodecStats; cached: boolean }>;
}

/** Rows in key order. Entries are built one after another so their timings do not disturb each other. */
export async function codecTable(corpus: CorpusStatsSource, keys: CorpusKey[]): Promise<CodecRow[]> {
  const rows: CodecRow[] = [];
  for (const k of keys) {
    const { key, stats, cached } = await corpus.summary(k);
    rows.push({
      format: key.format,
      resolution: resolutionLabel(key.width, key.height),
      width: key.width,
      height: key.height,
      quality: key.quality,
      ...stats,
      cached,
    });
  }
  return rows;
}

const fixed = (v: number): string => v.toFixed(v < 10 ? 2 : 1);

const COLUMNS: { title: string; right: boolean; cell: (r: CodecRow) => string }[] = [
  { title: 'format', right: false, cell: (r) => r.format },
  { title: 'resolution', right: false, cell: (r) => r.resolution },
  { title: 'quality', right: true, cell: (r) => String(effectiveQuality(r) ?? '-') },
  { title: 'kB/frame', right: true, cell: (r) => (r.meanBytes / 1000).toFixed(1) },
  { title: 'encode ms', right: true, cell: (r) => fixed(r.encodeMs) },
  { title: 'decode ms', right: true, cell: (r) => fixed(r.decodeMs) },
  { title: 'PSNR dB', right: true, cell: (r) => (r.psnr === null ? 'lossless' : r.psnr.toFixed(1)) },
  { title: 'cache', right: false, cell: (r) => (r.cached ? 'reused' : 'built') },
];

/** Aligned plain-text table, one line per row, ending with a newline. */
export function formatCodecTable(rows: CodecRow[]): string {
  const cells = [COLUMNS.map((c) => c.title), ...rows.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const lines = cells.map((line) =>
    line
      .map((text, i) => (COLUMNS[i]!.right ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
