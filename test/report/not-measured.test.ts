// Every output says "not measured" and why a cell failed, for a run that measured nothing; a
// skipped optional threshold is shown as skipped, never as passed; limits print as written.
import { describe, expect, it } from 'vitest';
import { cellFailures } from '../../src/metrics/cell-verdict.js';
import type { Results } from '../../src/results/types.js';
import { evaluateThresholds, parseThresholds } from '../../src/metrics/thresholds.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { evaluateCheck } from '../../src/report/html/threshold-match.js';
import { limitText } from '../../src/report/html/verdict.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { summaryTable } from '../../src/report/terminal.js';
import { cellForeign, resultsForeign } from '../fixtures/results-empty.js';
import { cellWebp480 } from '../fixtures/results-small.js';
import { expectGolden } from './golden.js';

const specs = parseThresholds([
  { metric: 'frame.p99', check: '< 150' },
  { metric: 'counts.framesLost', check: '== 0' },
  { metric: 'counts.lossRatio', check: '< 0.02' },
  { metric: 'playback.stallRatio', check: '< 0.01', optional: true },
]);
const failures = cellFailures(cellForeign);
const foreign: Results = {
  ...resultsForeign,
  cells: [{ ...cellForeign, thresholds: evaluateThresholds(specs, cellForeign), failures, ok: false }],
  ok: false,
};

describe('outputs of a run that measured nothing', () => {
  it('terminal: each not-measured threshold, the cell reason and a verdict line', () => {
    const text = summaryTable(foreign);
    expect(text).toContain('cells: 1 of 1 failed');
    expect(text).toContain('  ✗ webp-480p-b5: 0 of 300 binary messages carried a framebench header: the target does not speak the reference protocol; see `protocol:` in the README');
    expect(text).toContain('thresholds: 3 of 4 failed (3 not measured), 1 skipped (optional, not measured)');
    expect(text).toContain('  ✗ webp-480p-b5: frame.p99 < 150: not measured (0 frames)');
    expect(text).toContain('  ✗ webp-480p-b5: counts.framesLost == 0: not measured (0 frames expected)');
    expect(text).toContain('  – webp-480p-b5: playback.stallRatio < 0.01: skipped: not measured (0 playback startups), optional');
    expect(text).not.toContain('passed');
    expect(text.trim().split('\n').at(-1)).toBe('verdict: FAIL: 1 of 1 cell failed · 3 of 4 thresholds failed (3 not measured)');
  });

  it('summary.md matches its golden file', () => {
    const md = renderMarkdown(foreign);
    expect(md).toContain('**❌ fail** · 1 cell (1 failed) · 3 of 4 thresholds failed (3 not measured), 1 skipped');
    expectGolden('summary-not-measured.md', md);
  });

  it('JUnit: failures for not measured and for the cell, <skipped> for the optional one', () => {
    const xml = renderJunit(foreign);
    expect(xml).toContain('<failure message="not measured (0 frames)" type="not_measured">');
    expect(xml).toContain('name="cell: protocol_errors"');
    expect(xml).toContain('<skipped message="skipped: not measured (0 playback startups), optional"/>');
    expect(xml).toContain('tests="7" failures="6" errors="0" skipped="1"');
    expectGolden('junit-not-measured.xml', xml);
  });

  it('HTML verdict: FAIL, the cell reason, not measured with its reason, skipped not passed', () => {
    const page = renderHtmlReport(foreign);
    expect(page).toContain('class="verdict fail"');
    expect(page).toContain('0 of 300 binary messages carried a framebench header');
    expect(page).toContain('not measured (0 frames)');
    expect(page).toContain('NOT MEASURED');
    expect(page).toContain('SKIPPED');
    expect(page).toContain('class="badge fail"');
    expect(page).not.toContain('held in every cell');
  });

  it('an empty run (no cell) is never a pass in any output', () => {
    const none: Results = { ...resultsForeign, cells: [], ok: false };
    expect(summaryTable(none)).toContain('verdict: FAIL: no cell ran: nothing was measured');
    expect(renderMarkdown(none)).toContain('**❌ fail**');
    expect(renderHtmlReport(none)).toContain('No cell ran: nothing was measured');
  });
});

describe('a soak that failed only on drift', () => {
  const soak: Results = {
    ...resultsForeign,
    cells: [{ ...cellWebp480, counts: { ...cellWebp480.counts, lossRatio: 0 }, thresholds: [], ok: true }],
    soak: {
      stages: [{ duration: '10s', target: 2 }],
      scrape: [],
      driftThresholds: [
        { expr: 'drift.frame.p99 < 25%', ok: false, value: 38.2, status: 'fail', metric: 'drift.frame.p99', op: '<', bound: 25 },
        { expr: 'drift.target.memory < 50MB/h', ok: false, value: null, status: 'not_measured', reason: 'not scraped', metric: 'drift.target.memory', op: '<', bound: 50 },
      ],
    },
    ok: false,
  };

  it('the terminal names each drift threshold and ends with the verdict', () => {
    const text = summaryTable(soak);
    expect(text).toContain('thresholds: 2 of 2 failed (1 not measured)');
    expect(text).toContain('  ✗ soak: drift.frame.p99 < 25%: measured 38.2 (52.8% over)');
    expect(text).toContain('  ✗ soak: drift.target.memory < 50MB/h: not measured (not scraped)');
    expect(text.trim().split('\n').at(-1)).toBe('verdict: FAIL: 2 of 2 thresholds failed (1 not measured)');
  });

  it('summary.md and the report say the drift thresholds failed', () => {
    expect(renderMarkdown(soak)).toContain('failed: drift.frame.p99 \\< 25% (38.2), drift.target.memory \\< 50MB/h (not measured: not scraped)');
    expect(renderHtmlReport(soak)).toContain('2 of 2 drift thresholds failed or were not measured (see Soak).');
  });
});

describe('limits print as written', () => {
  it('a ratio under 1 is not rounded to 0', () => {
    const check = evaluateCheck({ expr: 'counts.lossRatio < 0.02', ok: true, value: 0.001 }, cellWebp480);
    expect(limitText(check)).toBe('< 0.02 (2%)');
    expect(limitText(evaluateCheck({ expr: 'counts.framesDuplicated <= 0.5', ok: true, value: 0 }, cellWebp480))).toBe('<= 0.5');
    expect(limitText(evaluateCheck({ expr: 'frame.p99 < 150', ok: true, value: 1 }, cellWebp480))).toBe('< 150 ms');
    expect(limitText(evaluateCheck({ expr: 'playback.stallRatio < 0.01', ok: true, value: 0, metric: 'playback.stallRatio', op: '<', bound: 0.01 }, cellWebp480))).toBe('< 0.01 (1%)');
    // Text that is not a canonical threshold has no structure: no limit is made up for it.
    expect(limitText(evaluateCheck({ expr: 'stall ratio < 1%', ok: true, value: 0 }, cellWebp480))).toBe('–');
  });

  it('the HTML threshold table shows < 0.02 for a loss-ratio bound', () => {
    const cell = { ...cellWebp480, counts: { ...cellWebp480.counts, lossRatio: 0.001 } };
    const thresholds = evaluateThresholds(parseThresholds({ 'counts.lossRatio': '< 0.02' }), cell);
    const page = renderHtmlReport({ ...resultsForeign, cells: [{ ...cell, thresholds, ok: true }], ok: true });
    expect(page).toContain('&lt; 0.02 (2%)');
    expect(page).not.toMatch(/&lt; 0<\/td>/);
  });
});
