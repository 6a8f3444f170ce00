// Opens rendered reports in real headless Chromium from file:// URLs: no console or page errors, no
// network, every canvas painted, verdict visible, sorting works; keeps a screenshot for humans.
// Skipped only outside CI when /usr/bin/chromium is absent; in CI a missing browser fails the run.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/metrics/results-types.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { buildMinimalResults, buildSweepResults } from '../fixtures/results-sweep.js';
import { CHROMIUM, launchChromium } from '../browser.js';

const ARTIFACTS = resolve('reports/test-artifacts');
const available = existsSync(CHROMIUM);
const inCI = Boolean(process.env.CI);

interface CanvasInfo {
  id: string;
  width: number;
  height: number;
  painted: number;
}

const CANVAS_PROBE = `Array.from(document.querySelectorAll('canvas')).map(function (c) {
  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  var painted = 0;
  for (var i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
  return { id: c.id, width: c.width, height: c.height, painted: painted };
})`;

interface Opened {
  page: Page;
  problems: string[];
}

describe.skipIf(!available && !inCI)('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!available) throw new Error(`CI is set but ${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(results: Results, name: string): Promise<Opened> {
    const file = join(ARTIFACTS, `${name}.html`);
    writeFileSync(file, renderHtmlReport(results));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('request', (req) => {
      if (!/^(file|data|about):/.test(req.url())) problems.push(`network request: ${req.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction('document.readyState === "complete"');
    return { page, problems };
  }

  async function expectAllCanvasesPainted(page: Page, expected: number): Promise<void> {
    const canvases = (await page.evaluate(CANVAS_PROBE)) as CanvasInfo[];
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
