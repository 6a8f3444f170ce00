// The browser-viewer part of the metric catalogue (src/metrics/catalogue.ts): `browser.<decode|paint|frame>.<stat>`
// distributions and `browser.<figure>` scalars, read from a cell's `browser` block. A cell without
// viewers has no such figures (a threshold on them is not measured; see browser-metrics.ts).
import type { BrowserResult, LatencySummary } from '../results/types.js';
import type { Better, MetricUnit } from './metric-units.js';

export const BROWSER_SUMMARIES: ReadonlyArray<readonly [name: 'decode' | 'paint' | 'frame', label: string]> = [
  ['decode', 'browser decode (receive → decoded)'],
  ['paint', 'browser paint (decoded → painted)'],
  ['frame', 'browser frame latency'],
];

export const BROWSER_SCALARS: ReadonlyArray<readonly [name: string, label: string, unit: MetricUnit, better: Better]> = [
  ['dropped', 'browser frames dropped at paint', 'count', 'lower'],
  ['droppedRatio', 'browser share of frames not shown', 'ratio', 'lower'],
  ['droppedLate', 'browser frames decoded too late', 'count', 'lower'],
  ['droppedOverflow', 'browser frames pushed out of the buffer', 'count', 'lower'],
  ['stalls', 'browser stalls', 'count', 'lower'],
  ['stallMs', 'browser time stalled', 'ms', 'lower'],
  ['stallRatio', 'browser stall ratio', 'ratio', 'lower'],
  ['freezes', 'browser freezes', 'count', 'lower'],
  ['freezeMs', 'browser time frozen', 'ms', 'lower'],
  ['longTasks', 'browser long tasks', 'count', 'lower'],
  ['longTaskMs', 'browser long task time', 'ms', 'lower'],
  ['framesReceived', 'browser frames received', 'count', 'higher'],
  ['framesDecoded', 'browser frames decoded', 'count', 'higher'],
  ['framesPainted', 'browser frames painted', 'count', 'higher'],
  ['decodeErrors', 'browser decode errors', 'count', 'lower'],
  ['socketErrors', 'browser socket errors', 'count', 'lower'],
  ['socketCloses', 'browser streams closed by the server', 'count', 'lower'],
];

export function browserSummary(g: BrowserResult, name: 'decode' | 'paint' | 'frame'): LatencySummary | undefined {
  return g[name];
}

/** droppedRatio = dropped / (painted + dropped): the share of frames that reached the player and were not shown. */
export function browserScalar(g: BrowserResult, name: string): unknown {
  if (name === 'droppedRatio') return g.framesPainted + g.dropped > 0 ? g.dropped / (g.framesPainted + g.dropped) : undefined;
  return (g as unknown as Record<string, unknown>)[name];
}
