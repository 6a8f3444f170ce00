// Merging viewer pages' results into a cell's `browser` block: counts add, histograms merge exactly
// (the harness's HDR parameters in the page and here), so merged percentiles equal one recording's.
import { browserStallRatio, mergedSummary } from '../metrics/browser-merge.js';
import type { BrowserResult } from '../results/types.js';
import type { ViewerPageResult } from './page/viewer-main.js';

const MAX_ERRORS = 8;

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
    stallRatio: browserStallRatio(stallMs, painted, 1000 / fps),
    freezes: sum((r) => r.counts.freezes),
    freezeMs: Math.round(sum((r) => r.counts.freezeMs)),
    longTasks: sum((r) => r.longTasks),
    longTaskMs: sum((r) => r.longTaskMs),
    decodeErrors: sum((r) => r.decodeErrors),
    socketErrors: sum((r) => r.socketErrors),
    socketCloses: sum((r) => r.socketCloses),
    serverErrors: sum((r) => r.serverErrors),
    decode: mergedSummary(results.map((r) => r.decodeHdr)),
    paint: mergedSummary(results.map((r) => r.paintHdr)),
    frame: mergedSummary(results.map((r) => r.frameHdr)),
    errors: [...errors, ...results.filter((r) => r.socketCloses > 0).map((r) => `${r.socketCloses} stream(s) closed by the server, last: ${r.lastClose || 'no code'}`)].slice(0, MAX_ERRORS),
  };
}
