// Opens diff.html in headless Chromium from a file:// URL: no console or page errors, no network,
// every canvas painted, hostile strings shown as text; keeps a screenshot for humans.
// Skipped only outside CI when /usr/bin/chromium is absent.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffResults } from '../../src/diff/diff.js';
import { renderDiffHtml } from '../../src/diff/html/index.js';
import { defaultSettings } from '../../src/diff/options.js';
import type { Results } from '../../src/results/types.js';
import { buildDiffResults, changedPair } from '../fixtures/diff-results.js';
import { ARTIFACTS, launchChromium, openHtml, paintedCanvases, skipBrowser } from '../browser.js';

describe.skipIf(skipBrowser)('diff.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function check(base: Results, head: Results, name: string, canvases: number): Promise<string> {
    const html = renderDiffHtml(diffResults({ file: 'base/results.json', results: base }, { file: 'head/results.json', results: head }, defaultSettings()));
    const { page, problems } = await openHtml(browser, html, name);
    const found = await paintedCanvases(page);
    expect(found).toHaveLength(canvases);
    for (const c of found) expect(c.painted, `${c.id} has drawn pixels`).toBeGreaterThan(500);
    const verdict = await page.locator('#verdict').innerText();
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
    return verdict;
  }

  it('renders a diff with regressions, added and removed cells, and hostile strings', async () => {
    const { base, head } = changedPair();
    head.scenario.name = 'nightly <script>alert(1)</script>';
    const verdict = await check(base, head, 'diff', 1 + 3 * 2);
    expect(verdict).toContain('WORSE');
    expect(verdict).toContain('nightly <script>alert(1)</script>');
  });

  it('renders a self-diff (no change chart) cleanly', async () => {
    const results = buildDiffResults({ seed: 1 });
    const verdict = await check(results, results, 'diff-self', 4 * 2);
    expect(verdict).toContain('OK');
  });
});
