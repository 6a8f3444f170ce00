import { describe, expect, it } from 'vitest';
import type { CellResult, Results } from '../../src/results/types.js';
import { MAX_LISTED_FAILURES, renderMarkdown } from '../../src/report/markdown.js';
import { escapeMarkdown } from '../../src/text/markdown.js';
import { cellWebp480, resultsSmall } from '../fixtures/results-small.js';
import { expectGolden } from './golden.js';

const passing: Results = { ...resultsSmall, cells: [cellWebp480], ok: true };

describe('renderMarkdown', () => {
  it('matches the golden summary of a failing two-cell run', () => {
    expectGolden('summary-small.md', renderMarkdown(resultsSmall));
  });

  it('matches the golden summary of a passing run', () => {
    expectGolden('summary-pass.md', renderMarkdown(passing));
  });

  it('states the verdict with cell and failing-threshold counts', () => {
    expect(renderMarkdown(resultsSmall)).toContain('**❌ fail** · 2 cells · 3 of 6 thresholds failed');
    expect(renderMarkdown(passing)).toContain('**✅ pass** · 1 cell · 0 of 3 thresholds failed');
    expect(renderMarkdown({ ...passing, interrupted: true })).toContain('· ⚠️ interrupted');
  });

  it('keeps every table row at the header column count despite pipes in strings', () => {
    const table = renderMarkdown(resultsSmall)
      .split('\n')
      .filter((l) => l.startsWith('|'));
    const columns = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
    expect(table).toHaveLength(4);
    for (const line of table) expect(columns(line)).toBe(columns(table[0]!));
  });

  it('escapes markdown-significant characters and newlines', () => {
    expect(escapeMarkdown('a|b <i>*x*</i> _y_ [l](u) `c` $m$ #1\nnext')).toBe('a\\|b \\<i\\>\\*x\\*\\</i\\> \\_y\\_ \\[l\\](u) \\`c\\` \\$m\\$ \\#1 next');
  });

  it('caps the list of failed thresholds', () => {
    const many: CellResult = {
      ...cellWebp480,
      thresholds: Array.from({ length: MAX_LISTED_FAILURES + 7 }, (_, i) => ({ expr: `frame.p99 < ${i}`, ok: false, value: 98.3 })),
    };
    const md = renderMarkdown({ ...resultsSmall, cells: [many] });
    expect(md.split('\n').filter((l) => l.startsWith('- **'))).toHaveLength(MAX_LISTED_FAILURES);
    expect(md).toContain('- … and 7 more');
  });

  it('renders a run without cells', () => {
    expect(renderMarkdown({ ...resultsSmall, cells: [] })).toContain('_No cells ran._');
  });
});
