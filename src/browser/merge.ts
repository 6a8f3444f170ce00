// Merging viewer results: page results into a cell's `browser` block, and cells' blocks into one
// (shards of a distributed run). Counts add; histograms merge exactly (the harness's HDR
// parameters in the page and here), so merged percentiles equal those of one recording.
import { decodeHistogram, mergeHistograms, summarize, type Histogram } from '../metrics/hdr.js';
import type { BrowserResult } from '../metrics/browser-results.js';
import type { ViewerPageResult } from './page/viewer-main.js';

const MAX_ERRORS = 8;

function summaryOf(hdrs: readonly string[]): BrowserResult['decode'] {
  const parts: Histogram[] = hdrs.map(decodeHistogram);
  const merged = mergeHistograms(parts);
  const out = summarize(merged);
  for (const p of parts) p.destroy();
  merged.destroy();
  return out;
}

function stallRatio(stallMs: number, painted: number, intervalMs: number): number {
  const played = painted * intervalMs;
  return stallMs + played > 0 ? Math.round((stallMs / (stallMs + played)) * 1e6) / 1e6 : 0;
}

/** The pages' results of one cell, `pages` of them launched; `errors` from pages that failed. */
export function mergeViewerResults(results: readonly ViewerPageResult[], pages: number, errors: readonly string[], fps = 30): BrowserResult {
  const sum = (f: (r: ViewerPageResult) => number): number => results.reduce((n, r) => n + f(r), 0);
  const stallMs = Math.round(sum((r) => r.counts.stallMs));
  const painted = sum((r) => r.counts.painted);
  return {
    pages,
    pagesReported: results.length,
    streams: sum((r) => r.streams),
    connected: sum((r) => r.connected),
    measuredMs: results.length ? Math.max(...results.map((r) => r.measuredMs)) : 0,
    framesReceived: sum((r) => r.framesReceived),
    bytesReceived: sum((r) => r.bytesReceived),
    framesDecoded: sum((r) => r.framesDecoded),
    framesPainted: painted,
    dropped: sum((r) => r.counts.droppedLate + r.counts.droppedOverflow),
    droppedLate: sum((r) => r.counts.droppedLate),
    droppedOverflow: sum((r) => r.counts.droppedOverflow),
    backlogDropped: sum((r) => r.backlogDropped),
    stalls: sum((r) => r.counts.stalls),
    stallMs,
    stallRatio: stallRatio(stallMs, painted, 1000 / fps),
    freezes: sum((r) => r.counts.freezes),
    freezeMs: Math.round(sum((r) => r.counts.freezeMs)),
    longTasks: sum((r) => r.longTasks),
    longTaskMs: sum((r) => r.longTaskMs),
    decodeErrors: sum((r) => r.decodeErrors),
    socketErrors: sum((r) => r.socketErrors),
    serverErrors: sum((r) => r.serverErrors),
    decode: summaryOf(results.map((r) => r.decodeHdr)),
    paint: summaryOf(results.map((r) => r.paintHdr)),
    frame: summaryOf(results.map((r) => r.frameHdr)),
    errors: errors.slice(0, MAX_ERRORS),
  };
}

/** Cells' browser blocks merged into one (shards of one cell); undefined when none has one. */
export function mergeBrowserResults(parts: readonly (BrowserResult | undefined)[], fps = 30): BrowserResult | undefined {
  const list = parts.filter((p): p is BrowserResult => p !== undefined);
  if (list.length === 0) return undefined;
  const sum = (k: keyof BrowserResult): number => list.reduce((n, p) => n + (p[k] as number), 0);
  const keys = ['pages', 'pagesReported', 'streams', 'connected', 'framesReceived', 'bytesReceived', 'framesDecoded', 'framesPainted', 'dropped', 'droppedLate', 'droppedOverflow', 'backlogDropped', 'stalls', 'stallMs', 'freezes', 'freezeMs', 'longTasks', 'longTaskMs', 'decodeErrors', 'socketErrors', 'serverErrors'] as const;
  const out = Object.fromEntries(keys.map((k) => [k, sum(k)])) as Pick<BrowserResult, (typeof keys)[number]>;
  return {
    ...out,
    measuredMs: Math.max(...list.map((p) => p.measuredMs)),
    stallRatio: stallRatio(out.stallMs, out.framesPainted, 1000 / fps),
    decode: summaryOf(list.map((p) => p.decode.hdr)),
    paint: summaryOf(list.map((p) => p.paint.hdr)),
    frame: summaryOf(list.map((p) => p.frame.hdr)),
    errors: list.flatMap((p) => p.errors).slice(0, MAX_ERRORS),
  };
}
