// Chart specs: chart.js configs as plain JSON, embedded in the page and built by the page script,
// which adds the few callbacks JSON cannot carry by `kind`; the palette and axis helpers they share.

export type ChartKind = 'percentiles' | 'tradeoff' | 'spectrum' | 'timeseries' | 'drift' | 'chaos' | 'changes';

export interface ChartSpec {
  id: string;
  kind: ChartKind;
  title: string;
  /** CSS height of the chart box, px. */
  height: number;
  /** Spans the whole row of a chart grid. */
  wide?: boolean;
  config: Record<string, unknown>;
}

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e'];

export const colour = (i: number): string => PALETTE[i % PALETTE.length] ?? '#4e79a7';

export function axisTitle(text: string): Record<string, unknown> {
  return { display: true, text };
}
