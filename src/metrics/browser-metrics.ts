// Threshold metrics of browser viewers (cell.browser), beside the others in thresholds.ts:
//   browser.<decode|paint|frame>.<stat>   per-frame distributions, ms (samples: their own count)
//   browser.<scalar>                      counts and ratios over the measured window; droppedRatio =
//                                         dropped / (painted + dropped), the share of frames not shown
//                                         (samples: frames the viewers received)
// A cell without viewers has no samples: its browser thresholds are "not measured" (fail closed).
import type { BrowserResult, CellFailure, CellResult } from './results-types.js';

export const BROWSER_SUMMARIES = ['decode', 'paint', 'frame'] as const;
export const BROWSER_SCALARS = [
  'dropped',
  'droppedRatio',
  'droppedLate',
  'droppedOverflow',
  'stalls',
  'stallMs',
  'stallRatio',
  'freezes',
  'freezeMs',
  'longTasks',
  'longTaskMs',
  'framesReceived',
  'framesDecoded',
  'framesPainted',
  'decodeErrors',
  'socketErrors',
  'socketCloses',
] as const;
const STATS = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];

const inList = (xs: readonly string[], x: string | undefined): boolean => x !== undefined && xs.includes(x);

/** True when `metric` (already split) names a browser metric. */
export function isBrowserMetric(a: string | undefined, b: string | undefined): boolean {
  return (inList(BROWSER_SUMMARIES, a) && inList(STATS, b)) || (inList(BROWSER_SCALARS, a) && b === undefined);
}

export const BROWSER_ALLOWED = `browser.<${BROWSER_SUMMARIES.join('|')}>.<${STATS.join('|')}> or browser.<${BROWSER_SCALARS.join('|')}>`;

export function browserValue(g: BrowserResult | undefined, a: string, b: string | undefined): unknown {
  if (!g) return undefined;
  if (b !== undefined) return (g[a as (typeof BROWSER_SUMMARIES)[number]] as unknown as Record<string, unknown> | undefined)?.[b];
  if (a === 'droppedRatio') return g.framesPainted + g.dropped > 0 ? g.dropped / (g.framesPainted + g.dropped) : undefined;
  return g[a as keyof BrowserResult];
}

export function browserBasis(cell: CellResult, a: string, b: string | undefined): { n: number; what: string } {
  const g = cell.browser;
  if (!g) return { n: 0, what: 'browser frames (the cell had no browser viewers: set browsers.pages or --browsers)' };
  if (b !== undefined) {
    const s = g[a as (typeof BROWSER_SUMMARIES)[number]];
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
