// The markdown diff: golden files (UPDATE_GOLDEN=1 rewrites them), escaping, and the parts a
// pull-request comment needs (verdict line, significant changes only, collapsed details).
import { describe, expect, it } from 'vitest';
import { diffResults, type DiffReport } from '../../src/diff/diff.js';
import { renderDiffMarkdown } from '../../src/diff/markdown.js';
import { defaultSettings, parseSettings } from '../../src/diff/options.js';
import type { Results } from '../../src/results/types.js';
import { buildDiffResults, changedPair } from '../fixtures/diff-results.js';
import { expectGolden } from '../report/golden.js';

function report(base: Results, head: Results, settings = defaultSettings()): DiffReport {
  return diffResults({ file: 'reports/v1.4/results.json', results: base }, { file: 'reports/v1.5/results.json', results: head }, settings);
}

describe('renderDiffMarkdown', () => {
  it('matches the golden diff of a file with itself', () => {
    const results = buildDiffResults({ seed: 1 });
    const md = renderDiffMarkdown(report(results, results));
    expect(md).toContain('**✅ no significant regression** · 0 worse · 0 better · 0 within noise');
    expect(md).toContain('_No metric changed beyond its threshold._');
    expectGolden('diff-self.md', md);
  });

  it('matches the golden diff with a regression, lost frames, added and removed cells and warnings', () => {
    const { base, head } = changedPair();
    const md = renderDiffMarkdown(report(base, head));
    expect(md).toMatch(/^\*\*❌ 3 significant regressions\*\*/m);
    expect(md).toContain('| webp · 480p | frame latency p50 |');
    expect(md).toContain('**Added cells:** png-480p-b5');
    expect(md).toContain('**Removed cells:** jpeg-720p-b5');
    expect(md).toContain('### framebench diff: ci \\<gate\\> \\| nightly');
    expect(md).not.toContain('<gate>');
    expectGolden('diff-changes.md', md);
  });

  it('lists only better and worse rows in the main table and collapses the rest', () => {
    const { base, head } = changedPair();
    const md = renderDiffMarkdown(report(base, head));
    const main = md.slice(0, md.indexOf('<details>'));
    const rows = main.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Cell'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatch(/worse|better/);
    expect(md).toContain('<details><summary>Method</summary>');
    expect(md.length).toBeLessThan(20_000);
  });

  it('keeps every table row at the header column count and names overrides in the method', () => {
    const { base, head } = changedPair();
    const md = renderDiffMarkdown(report(base, head, parseSettings({ minEffect: ['frame.p99=10%'] })));
    const columns = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
    for (const block of md.split('\n\n')) {
      const table = block.split('\n').filter((l) => l.startsWith('|'));
      for (const line of table) expect(columns(line)).toBe(columns(table[0]!));
    }
    expect(md).toContain('Overrides: frame.p99: min effect 10%.');
  });
});
