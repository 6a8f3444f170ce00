// The browser decode-cost table: per format × resolution, what real Chromium viewers measured —
// receive → decoded (createImageBitmap) and decoded → painted, from the cells' histograms merged
// exactly — with drops, stalls, freezes and main-thread long tasks summed over those cells.
import { decodeHistogram, mergeHistograms, summarize } from '../metrics/hdr.js';
import type { LatencySummary, Results } from '../results/types.js';

export interface BrowserRow {
  format: string;
  resolution: string;
  cells: number;
  pages: number;
  streams: number;
  framesDecoded: number;
  framesPainted: number;
  decode: LatencySummary;
  paint: LatencySummary;
  dropped: number;
  stalls: number;
  freezes: number;
  longTasks: number;
  longTaskMs: number;
}

function merged(hdrs: string[]): LatencySummary {
  const parts = hdrs.map(decodeHistogram);
  const m = mergeHistograms(parts);
  const s = summarize(m);
  for (const p of parts) p.destroy();
  m.destroy();
  return s;
}

export function browserRows(results: Results): BrowserRow[] {
  const groups = new Map<string, Results['cells']>();
  for (const c of results.cells) {
    if (!c.browser) continue;
    const key = `${String(c.params.format ?? '')}\u0000${String(c.params.resolution ?? '')}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()].map(([key, cells]) => {
    const [format = '', resolution = ''] = key.split('\u0000');
    const bs = cells.flatMap((c) => (c.browser ? [c.browser] : []));
    const sum = (f: (b: (typeof bs)[number]) => number): number => bs.reduce((n, b) => n + f(b), 0);
    return {
      format,
      resolution,
      cells: cells.length,
      pages: sum((b) => b.pages),
      streams: sum((b) => b.streams),
      framesDecoded: sum((b) => b.framesDecoded),
      framesPainted: sum((b) => b.framesPainted),
      decode: merged(bs.map((b) => b.decode.hdr)),
      paint: merged(bs.map((b) => b.paint.hdr)),
      dropped: sum((b) => b.dropped),
      stalls: sum((b) => b.stalls),
      freezes: sum((b) => b.freezes),
      longTasks: sum((b) => b.longTasks),
      longTaskMs: sum((b) => b.longTaskMs),
    };
  });
}

/** The table as markdown lines ([] when no cell had browser viewers). */
export function browserMarkdownLines(results: Results, esc: (s: string) => string): string[] {
  const rows = browserRows(results);
  if (rows.length === 0) return [];
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  const pct = (n: number, d: number): string => (d > 0 ? `${r1((n / d) * 100)}%` : '—');
  return [
    '',
    '#### Browser viewers (Chromium)',
    '',
    '| format | resolution | pages × streams | decoded | decode p50 ms | decode p99 ms | paint p99 ms | dropped | stalls | freezes | long tasks |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${esc(r.format)} | ${esc(r.resolution)} | ${r.pages} × ${r.pages > 0 ? Math.round(r.streams / r.pages) : 0} | ${r.framesDecoded} | ${r1(r.decode.p50)} | ${r1(r.decode.p99)} | ${r1(r.paint.p99)} | ${r.dropped} (${pct(r.dropped, r.framesPainted + r.dropped)}) | ${r.stalls} | ${r.freezes} | ${r.longTasks} (${Math.round(r.longTaskMs)} ms) |`,
    ),
  ];
}

/** One terminal line per cell with browser viewers. */
export function browserTerminalLines(results: Results): string[] {
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  const lines = results.cells.flatMap((c) => {
    const b = c.browser;
    if (!b) return [];
    return [
      `  ${c.id}: ${b.pagesReported}/${b.pages} pages, ${b.connected}/${b.streams} streams · decoded ${b.framesDecoded} (p50 ${r1(b.decode.p50)} ms, p99 ${r1(b.decode.p99)} ms) · painted ${b.framesPainted} (paint p99 ${r1(b.paint.p99)} ms) · dropped ${b.dropped} · stalls ${b.stalls} · freezes ${b.freezes} · long tasks ${b.longTasks}${b.errors.length ? ` · ${b.errors[0]}` : ''}`,
    ];
  });
  return lines.length ? ['', 'browser viewers (Chromium; decode = receive → decoded, paint = decoded → painted):', ...lines] : [];
}
