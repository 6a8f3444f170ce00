// Browser blocks of several cells merged into one (shards of one cell, repeats of one cell):
// counts add, histograms merge exactly.
import { decodeHistogram, mergeHistograms, summarize, type Histogram } from './hdr.js';
import type { BrowserResult, LatencySummary } from '../results/types.js';

const MAX_ERRORS = 8;

export function mergedSummary(hdrs: readonly string[]): LatencySummary {
  const parts: Histogram[] = hdrs.map(decodeHistogram);
  const merged = mergeHistograms(parts);
  const out = summarize(merged);
  for (const p of parts) p.destroy();
  merged.destroy();
  return out;
}

export function browserStallRatio(stallMs: number, painted: number, intervalMs: number): number {
  const played = painted * intervalMs;
  return stallMs + played > 0 ? Math.round((stallMs / (stallMs + played)) * 1e6) / 1e6 : 0;
}

/** Cells' browser blocks merged into one (shards of one cell); undefined when none has one. */
export function mergeBrowserResults(parts: readonly (BrowserResult | undefined)[], fps = 30): BrowserResult | undefined {
  const list = parts.filter((p): p is BrowserResult => p !== undefined);
  if (list.length === 0) return undefined;
  const sum = (k: keyof BrowserResult): number => list.reduce((n, p) => n + (p[k] as number), 0);
  const keys = [
    'pages',
    'pagesReported',
    'streams',
    'connected',
    'framesReceived',
    'bytesReceived',
    'framesDecoded',
    'framesPainted',
    'dropped',
    'droppedLate',
    'droppedOverflow',
    'backlogDropped',
    'stalls',
    'stallMs',
    'freezes',
    'freezeMs',
    'longTasks',
    'longTaskMs',
    'decodeErrors',
    'socketErrors',
    'socketCloses',
    'serverErrors',
  ] as const;
  const out = Object.fromEntries(keys.map((k) => [k, sum(k)])) as Pick<BrowserResult, (typeof keys)[number]>;
  return {
    ...out,
    measuredMs: Math.max(...list.map((p) => p.measuredMs)),
    stallRatio: browserStallRatio(out.stallMs, out.framesPainted, 1000 / fps),
    decode: mergedSummary(list.map((p) => p.decode.hdr)),
    paint: mergedSummary(list.map((p) => p.paint.hdr)),
    frame: mergedSummary(list.map((p) => p.frame.hdr)),
    errors: list.flatMap((p) => p.errors).slice(0, MAX_ERRORS),
  };
}
