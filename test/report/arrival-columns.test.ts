// Arrival-time metrics in the HTML report: gaps, time to done, per-stream delivered fps and frames
// per request against what was asked, and image bytes per frame appear as cell-table columns when a
// cell measured them (a foreign target), are absent from runs that did not, frame latency without
// a server timestamp reads "–" (not 0), and thresholds on them highlight their column.
import { describe, expect, it } from 'vitest';
import { createHistogram, recordUs, summarize } from '../../src/metrics/hdr.js';
import type { LatencySummary, Results } from '../../src/results/types.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { parseThreshold } from '../../src/report/html/threshold-match.js';
import { buildMinimalResults } from '../fixtures/results-sweep.js';

function summary(values: number[]): LatencySummary {
  const h = createHistogram();
  for (const v of values) recordUs(h, Math.round(v * 1000));
  const s = summarize(h);
  h.destroy();
  return s;
}

/** The text of the cell-table cell under the given leaf header, for the first row. */
function cellUnder(page: string, header: string): string {
  const table = page.slice(page.indexOf('<table class="grid-table cells'), page.indexOf('</table>', page.indexOf('<table class="grid-table cells')));
  const headers = [...table.matchAll(/<th[^>]*data-sort[^>]*><button type="button">([^<]*)<\/button><\/th>/g)].map((m) => m[1]);
  const i = headers.indexOf(header);
  if (i < 0) throw new Error(`no column ${header} in ${headers.join(', ')}`);
  const row = /<tr id="cell-0">(.*?)<\/tr>/s.exec(table)![1]!;
  const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
  return cells[i]!;
}

function foreign(): Results {
  const r = buildMinimalResults();
  const cell = r.cells[0]!;
  cell.protocol = 'declarative';
  cell.latencyMs.frame = summary([]);
  cell.latencyMs.gap = summary(Array.from({ length: 400 }, (_, i) => 33 + (i % 5)));
  cell.latencyMs.timeToDone = summary(Array.from({ length: 20 }, (_, i) => 640 + i));
  cell.streams = { count: 20, framesAsked: 400, deliveredFps: summary(Array.from({ length: 20 }, () => 29.5)), framesPerRequest: summary(Array.from({ length: 20 }, (_, i) => (i === 0 ? 17 : 20))) };
  cell.throughput.payloadBytesPerFrame = 47_100;
  cell.thresholds = [{ expr: 'gap.p99 < 30', ok: false, value: cell.latencyMs.gap.p99 }];
  r.ok = false;
  return r;
}

describe('arrival-time metrics in the HTML report', () => {
  it('a foreign target shows gaps, time to done, per-stream fps, frames per request vs asked and payload bytes', () => {
    const r = foreign();
    const cell = r.cells[0]!;
    const page = renderHtmlReport(r);
    for (const group of ['Arrival (ms)', 'Streams']) expect(page).toContain(`>${group}</th>`);
    expect(Number(cellUnder(page, 'gap p50'))).toBeCloseTo(cell.latencyMs.gap!.p50, 0);
    expect(Number(cellUnder(page, 'gap max'))).toBeCloseTo(cell.latencyMs.gap!.max, 0);
    expect(Number(cellUnder(page, 'done p50'))).toBeCloseTo(cell.latencyMs.timeToDone!.p50, -1);
    expect(Number(cellUnder(page, 'fps p50'))).toBeCloseTo(29.5, 0);
    expect(Number(cellUnder(page, 'frames/req p50'))).toBeCloseTo(20, 0);
    expect(cellUnder(page, 'asked')).toBe('20');
    expect(Number(cellUnder(page, 'payload KB'))).toBeCloseTo(47.1, 1);
    // no server timestamp: frame latency is absent, never 0
    expect(cellUnder(page, 'p50')).toBe('–');
    expect(cellUnder(page, 'p99')).toBe('–');
    // the failing gap threshold highlights the gap p99 value
    expect(page).toMatch(/<td class="num bad" data-v="[\d.]+" title="fails gap\.p99 &lt; 30/);
  });

  it('a run without arrival-time metrics has none of those columns; frame latency with samples shows its value', () => {
    const r = buildMinimalResults();
    const page = renderHtmlReport(r);
    for (const h of ['gap p50', 'done p50', 'fps p50', 'frames/req p50', 'asked', 'payload KB']) expect(page).not.toContain(`<button type="button">${h}</button>`);
    expect(Number(cellUnder(page, 'p50'))).toBeCloseTo(r.cells[0]!.latencyMs.frame.p50, 0);
  });

  it('continuous streams ask for no count: no "asked" column, the rest stays', () => {
    const r = foreign();
    r.cells[0]!.streams!.framesAsked = 0;
    const page = renderHtmlReport(r);
    expect(page).not.toContain('<button type="button">asked</button>');
    expect(Number(cellUnder(page, 'frames/req p50'))).toBeCloseTo(20, 0);
  });

  it('thresholds on arrival-time metrics map to their columns', () => {
    expect(parseThreshold('gap.p99 < 200')).toMatchObject({ columnKey: 'gap.p99', unit: 'ms' });
    expect(parseThreshold('timeToDone.p50 < 1500')).toMatchObject({ columnKey: 'timeToDone.p50', unit: 'ms' });
    expect(parseThreshold('streams.deliveredFps.p50 > 25')).toMatchObject({ columnKey: 'streams.deliveredFps.p50', unit: 'fps' });
    expect(parseThreshold('streams.framesPerRequest.p50 >= 20')).toMatchObject({ columnKey: 'streams.framesPerRequest.p50' });
    expect(parseThreshold('throughput.payloadBytesPerFrame < 60000')).toMatchObject({ columnKey: 'payloadBytesPerFrame', unit: 'bytes' });
  });
});
