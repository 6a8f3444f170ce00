// Unit tests of the HTML report: escaping, self-containment, verdict text, threshold matching,
// degenerate inputs (one cell, missing optional parts, 27 cells).
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { jsonForScript, renderHtmlReport } from '../../src/report/html/index.js';
import { parseThreshold, evaluateCheck, thresholdView } from '../../src/report/html/threshold-match.js';
import { spectrumPoints } from '../../src/html/spectrum-points.js';
import { buildMinimalResults, buildSweepResults } from '../fixtures/results-sweep.js';

const XSS = '<script>alert(1)</script>';

function count(haystack: string, needle: RegExp): number {
  return (haystack.match(needle) ?? []).length;
}

describe('renderHtmlReport', () => {
  const results = buildSweepResults({ scenarioName: XSS });
  const page = renderHtmlReport(results);

  it('never emits scenario or server strings raw', () => {
    expect(page).not.toContain(XSS);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<client-side>');
    expect(page).toContain('killed 5 connections &lt;client-side&gt; &amp; reconnected');
    expect(count(page, /<script/gi)).toBe(3);
    expect(count(page, /<\/script/gi)).toBe(3);
  });

  it('escapes every string field, including params, errors, target and threshold exprs', () => {
    const hostile = buildSweepResults({ formats: ['webp'], resolutions: ['480p', '720p'], depths: [5], samplesPerCell: 200 });
    const cell = hostile.cells[0]!;
    cell.params.transport = '<img src=x onerror=alert(2)>';
    cell.errorsByKind = { '<b>reset</b>': 1 };
    cell.thresholds.push({ expr: 'frame.p99 < 1 <i>', ok: false, value: 2 });
    hostile.environment.target = 'ws://h/"><svg onload=alert(3)>';
    hostile.command = 'sweep </code><script>alert(4)</script>';
    const out = renderHtmlReport(hostile);
    for (const bad of ['<img src=x', '<b>reset', '<i>', '<svg onload', '<script>alert(4)']) expect(out).not.toContain(bad);
  });

  it('is self-contained: chart.js inlined, no external scripts, styles or fonts', () => {
    expect(page).toContain('Chart.js v4');
    expect(page).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);
    expect(page).not.toContain('sourceMappingURL');
    expect(page).toContain('default-src &#39;none&#39;');
  });

  it('puts the verdict first and names failing thresholds with measured value, limit and % over', () => {
    expect(results.ok).toBe(false);
    const verdictAt = page.indexOf('class="verdict fail"');
    expect(verdictAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(page.indexOf('id="cells"'));
    expect(page).toContain('>FAIL<');
    expect(page).toContain('frame.p99 &lt; 150');
    expect(page).toContain('playback.stallRatio &lt; 0.01');
    const heavy = results.cells.find((c) => c.id === 'png-1080p-b5')!;
    const p99 = heavy.latencyMs.frame.p99;
    expect(p99).toBeGreaterThan(150);
    const over = `+${Number((((p99 - 150) / 150) * 100).toPrecision(2))}% over`;
    expect(page).toContain(over);
    expect(page).toMatch(/thresholds? failed/);
    expect(page).toContain('lost');
    expect(page).toContain('off by 18');
  });

  it('highlights the failing values in the cell table and shows one row per cell', () => {
    expect(count(page, /<tr id="cell-\d+">/g)).toBe(results.cells.length);
    expect(count(page, /class="num bad"/g)).toBeGreaterThan(0);
  });

  it('shows run details, grids, codecs, spectra and time series', () => {
    for (const text of ['bench sweep scenarios/ci.yaml', 'AMD EPYC 7763', 'ws://127.0.0.1:43117/stream', 'Buffer depth 10', 'lossless', 'chart-spectrum-0', 'chart-ts-17', 'chart-tradeoff', 'chart-percentiles']) {
      expect(page).toContain(text);
    }
  });

  it('says PASS when every threshold holds', () => {
    const passing = buildSweepResults({ formats: ['webp'], resolutions: ['480p', '720p'], depths: [10], samplesPerCell: 300 });
    expect(passing.ok).toBe(true);
    const out = renderHtmlReport(passing);
    expect(out).toContain('class="verdict pass"');
    expect(out).toContain('held in every cell');
    expect(out).not.toContain('class="num bad"');
  });

  it('renders a single cell with no playback, codecs, timeseries or thresholds, and flags interruption', () => {
    const out = renderHtmlReport(buildMinimalResults());
    expect(out).toContain('Interrupted.');
    expect(out).toContain('No codec measurements');
    expect(out).toContain('No per-second samples');
    expect(out).toContain('did not vary frame format or resolution');
    expect(out).toContain('No thresholds were defined');
    expect(out).not.toContain('chart-ts-');
    expect(out).not.toContain('chart-tradeoff');
  });

  it('handles 27 cells', () => {
    const big = buildSweepResults({ depths: [3, 5, 10], samplesPerCell: 500 });
    expect(big.cells).toHaveLength(27);
    const out = renderHtmlReport(big);
    expect(count(out, /<tr id="cell-\d+">/g)).toBe(27);
    expect(out).toContain('Buffer depth 3');
  });

  it('shows a harness-saturated banner when the optional field is present', () => {
    const sat = buildSweepResults({ formats: ['webp'], resolutions: ['480p', '720p'], depths: [5], samplesPerCell: 200 }) as Results & Record<string, unknown>;
    sat.harnessSaturated = { reason: 'event-loop delay p99 212ms <harness>' };
    (sat.cells[1] as unknown as Record<string, unknown>).harnessSaturated = true;
    const out = renderHtmlReport(sat);
    expect(out).toContain('Harness saturated or paused in 1 cell');
    expect(out).toContain('event-loop delay p99 212ms &lt;harness&gt;');
    expect(out).toContain('class="badge warn"');
  });
});

describe('jsonForScript', () => {
  it('escapes characters that could end a script or a JS string, and round-trips', () => {
    const value = { s: '</script><!-- & \u2028 \u2029 >' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('threshold matching', () => {
  it('maps canonical metric paths to columns and units', () => {
    expect(parseThreshold('frame.p99 < 150')).toMatchObject({ columnKey: 'frame.p99', limit: 150, unit: 'ms', op: '<' });
    expect(parseThreshold('playback.stallRatio < 0.01')).toMatchObject({ columnKey: 'stallRatio', limit: 0.01, unit: 'ratio' });
    expect(parseThreshold('playback.startupMs.p95 <= 400')).toMatchObject({ columnKey: 'startup.p95', unit: 'ms' });
    expect(parseThreshold('counts.framesLost == 0')).toMatchObject({ columnKey: 'lost', unit: 'count' });
    expect(parseThreshold('throughput.framesPerSec > 1000')).toMatchObject({ columnKey: 'fps', op: '>' });
    expect(parseThreshold('counts.framesExpected > 0')).toMatchObject({ unit: 'count' });
    expect(parseThreshold('connect.p99 < 50')?.columnKey).toBeUndefined();
  });

  it('reads the structured fields the results store, and no free text', () => {
    expect(thresholdView({ expr: 'anything', metric: 'frame.p99', op: '<', bound: 150 })).toMatchObject({ columnKey: 'frame.p99', limit: 150, unit: 'ms' });
    expect(thresholdView({ expr: 'x', metric: 'chaos.recoverSec.max', op: '<', bound: 5 })).toMatchObject({ unit: 's', limit: 5 });
    expect(parseThreshold('p99 frame latency < 0.15s')).toBeUndefined();
    expect(parseThreshold('stall ratio < 1%')).toBeUndefined();
    expect(parseThreshold('lateness.p999 < 80')?.columnKey).toBeUndefined();
    expect(parseThreshold('not a threshold')).toBeUndefined();
  });

  it('computes how far a value misses', () => {
    const cell = buildMinimalResults().cells[0]!;
    expect(evaluateCheck({ expr: 'frame.p99 < 150', ok: false, value: 225 }, cell).overPct).toBeCloseTo(50);
    const ratio = evaluateCheck({ expr: 'playback.stallRatio < 0.01', ok: false, value: 0.03, metric: 'playback.stallRatio', op: '<', bound: 0.01 }, cell);
    expect(ratio.measured).toBeCloseTo(0.03);
    expect(ratio.overPct).toBeCloseTo(200);
    expect(evaluateCheck({ expr: 'throughput.framesPerSec > 1000', ok: false, value: 900 }, cell).overPct).toBeCloseTo(10);
  });
});

describe('spectrumPoints', () => {
  it('gives increasing finite x = 1/(1-p) and ends at the max', () => {
    const cell = buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 2000 }).cells[0]!;
    const points = spectrumPoints(cell.latencyMs.frame.hdr, cell.latencyMs.frame.count);
    expect(points.length).toBeGreaterThan(10);
    expect(points[0]!.x).toBe(1);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.x).toBeGreaterThan(points[i - 1]!.x);
      expect(Number.isFinite(points[i]!.x)).toBe(true);
    }
    expect(points[points.length - 1]!.y).toBeCloseTo(cell.latencyMs.frame.max, 0);
    expect(spectrumPoints('', 0)).toEqual([]);
    expect(spectrumPoints('not base64!', 5)).toEqual([]);
  });
});
