// Browser viewers (cell.browser) in thresholds and verdicts: the samples behind `browser.*` metrics
// (catalogue-browser.ts) — a distribution's own count, else the frames the viewers received — and
// the cell failure when the viewers painted nothing. A cell without viewers has no samples: its
// browser thresholds are "not measured" (fail closed).
import type { CellFailure, CellResult } from '../results/types.js';

export function browserBasis(cell: CellResult, a: string, b: string | undefined): { n: number; what: string } {
  const g = cell.browser;
  if (!g) return { n: 0, what: 'browser frames (the cell had no browser viewers: set browsers.pages or --browsers)' };
  if (b !== undefined) {
    const s = g[a as 'decode' | 'paint' | 'frame'];
    return { n: s?.count ?? 0, what: a === 'paint' ? 'frames painted in Chromium' : a === 'decode' ? 'frames decoded in Chromium' : 'frames received in Chromium' };
  }
  return { n: g.framesReceived, what: 'frames received in Chromium' };
}

/** A cell whose browser viewers painted nothing failed, with the reason (page errors first). */
export function browserFailures(cell: CellResult): CellFailure[] {
  const g = cell.browser;
  if (!g || g.framesPainted > 0) return [];
  const why =
    g.errors[0] ??
    (g.connected === 0
      ? `no viewer stream connected (${g.socketErrors} socket errors); check that Chromium can reach the target URL`
      : g.framesReceived === 0
        ? 'the viewers connected but received no frame in the measured window'
        : `the viewers received ${g.framesReceived} frames but painted none (${g.decodeErrors} decode errors); a longer duration or a smaller bufferDepth lets playback start`);
  return [{ kind: 'browser_no_frames', reason: `browser viewers painted no frame: ${why}` }];
}
