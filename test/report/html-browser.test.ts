// Opens rendered reports in real headless Chromium from file:// URLs: no console or page errors, no
// network, every canvas painted, verdict visible, sorting works; keeps a screenshot for humans.
// Skipped only outside CI when /usr/bin/chromium is absent; in CI a missing browser fails the run.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { buildMinimalResults, buildSweepResults } from '../fixtures/results-sweep.js';
import { ARTIFACTS, launchChromium, openHtml, paintedCanvases, skipBrowser, type OpenedPage } from '../browser.js';

describe.skipIf(skipBrowser)('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(results: Results, name: string): Promise<OpenedPage> {
    const opened = await openHtml(browser, renderHtmlReport(results), name);
    await opened.page.waitForFunction('document.readyState === "complete"');
    return opened;
  }

  async function expectAllCanvasesPainted(page: Page, expected: number): Promise<void> {
    const canvases = await paintedCanvases(page);
    expect(canvases).toHaveLength(expected);
    for (const c of canvases) {
      expect(c.width, `${c.id} width`).toBeGreaterThan(50);
      expect(c.height, `${c.id} height`).toBeGreaterThan(50);
      expect(c.painted, `${c.id} has drawn pixels`).toBeGreaterThan(500);
    }
  }

  it('renders the 3×3×2 sweep cleanly and keeps a screenshot', async () => {
    const results = buildSweepResults({ scenarioName: 'ci sweep <script>alert(1)</script>' });
    const { page, problems } = await open(results, 'report');
    await expect.poll(() => page.locator('#verdict').isVisible()).toBe(true);
    expect(await page.locator('#verdict').innerText()).toContain('FAIL');
    expect(await page.locator('#verdict h1').innerText()).toContain('<script>alert(1)</script>');
    expect(await page.title()).toContain('ci sweep <script>alert(1)</script>');
    expect(await page.evaluate('document.querySelectorAll("script").length')).toBe(3);
    const charts = 2 + 2 + results.cells.length;
    await expectAllCanvasesPainted(page, charts);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sorts the cell table when a header is clicked', async () => {
    const results = buildSweepResults({ formats: ['webp', 'png'], resolutions: ['480p', '1080p'], depths: [5], samplesPerCell: 500 });
    const { page, problems } = await open(results, 'report-sort');
    const header = page.locator('table.cells thead tr:last-child th', { hasText: /^p99$/ });
    const column = await header.evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    await header.click();
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const values = await page.locator(`table.cells tbody tr td:nth-child(${column + 1})`).allInnerTexts();
    const numbers = values.map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders a minimal interrupted single-cell run', async () => {
    const { page, problems } = await open(buildMinimalResults(), 'report-minimal');
    expect(await page.locator('#verdict').isVisible()).toBe(true);
    expect(await page.locator('.banner').first().innerText()).toContain('Interrupted');
    await expectAllCanvasesPainted(page, 2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders 27 cells', async () => {
    const results = buildSweepResults({ depths: [3, 5, 10], samplesPerCell: 800 });
    const { page, problems } = await open(results, 'report-27');
    await expectAllCanvasesPainted(page, 2 + 3 + 27);
    await page.screenshot({ path: join(ARTIFACTS, 'report-27.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
