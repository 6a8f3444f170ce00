// diff.html as text: self-contained (no external resources, three scripts), summary before the
// cells, one spectrum and one series chart per cell plus the change chart, every string escaped.
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/diff/diff.js';
import { renderDiffHtml } from '../../src/diff/html/index.js';
import { defaultSettings } from '../../src/diff/options.js';
import type { Results } from '../../src/results/types.js';
import { buildDiffResults, changedPair } from '../fixtures/diff-results.js';

const XSS = '<script>alert(1)</script>';

function page(base: Results, head: Results, files: [string, string] = ['base.json', 'head.json']): string {
  return renderDiffHtml(diffResults({ file: files[0], results: base }, { file: files[1], results: head }, defaultSettings()));
}

function chartIds(text: string): string[] {
  const data = /<script type="application\/json" id="fb-data">(.*?)<\/script>/s.exec(text)?.[1] ?? '{}';
  return (JSON.parse(data) as { charts: Array<{ id: string }> }).charts.map((c) => c.id);
}

describe('renderDiffHtml', () => {
  it('is one self-contained page with the summary before the cells', () => {
    const { base, head } = changedPair();
    const text = page(base, head);
    expect(text.match(/<script/g)).toHaveLength(3);
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(text.indexOf('id="summary"')).toBeLessThan(text.indexOf('id="cells"'));
    expect(text.indexOf('id="cells"')).toBeLessThan(text.indexOf('id="method"'));
    expect(text).toContain('<div class="verdict-word">WORSE</div>');
    expect(text).toContain('Added (only in head)');
    expect(text).toContain('png-480p-b5');
  });

  it('draws the change chart and, per matched cell, the overlaid spectra and series', () => {
    const { base, head } = changedPair();
    const ids = chartIds(page(base, head));
    expect(ids[0]).toBe('chart-diff-changes');
    expect(ids.filter((id) => id.startsWith('chart-diff-spectrum-'))).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith('chart-diff-ts-'))).toHaveLength(3);
  });

  it('lists the cells with regressions first', () => {
    const { base, head } = changedPair();
    const text = page(base, head);
    const sections = [...text.matchAll(/<section id="cell-\d+"><h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(sections).toEqual(['webp · 480p', 'jpeg · 480p', 'webp · 720p']);
  });

  it('escapes every string from the results files', () => {
    const base = buildDiffResults({ seed: 1 });
    const head = buildDiffResults({ seed: 2 });
    head.scenario.name = XSS;
    head.cells[0]!.params.format = '<img src=x onerror=alert(2)>';
    head.environment.target = 'ws://h/"><svg onload=alert(3)>';
    head.tool = { name: '<b>fb</b>', version: '1' };
    const text = page(base, head, ['<i>base</i>.json', 'head.json']);
    for (const bad of [XSS, '<img src=x', '<svg onload', '<b>fb', '<i>base']) expect(text).not.toContain(bad);
    expect(text).toContain('diff: &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders a diff without common cells', () => {
    const base = buildDiffResults({ seed: 1 });
    const head = buildDiffResults({ seed: 1, sweep: { formats: ['png'] } });
    const text = page(base, head);
    expect(text).toContain('The two results files have no cells in common.');
    expect(chartIds(text)).toEqual([]);
  });
});
