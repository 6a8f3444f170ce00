// Opens diff.html in headless Chromium from a file:// URL: no console or page errors, no network,
// every canvas painted, hostile strings shown as text; keeps a screenshot for humans.
// Skipped only outside CI when /usr/bin/chromium is absent.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffResults } from '../../src/diff/diff.js';
import { renderDiffHtml } from '../../src/diff/html/index.js';
import { defaultSettings } from '../../src/diff/options.js';
import type { Results } from '../../src/metrics/results-types.js';
import { buildDiffResults, changedPair } from '../fixtures/diff-results.js';
import { CHROMIUM, launchChromium } from '../browser.js';

const ARTIFACTS = resolve('reports/test-artifacts');
const available = existsSync(CHROMIUM);

const CANVAS_PROBE = `Array.from(document.querySelectorAll('canvas')).map(function (c) {
  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  var painted = 0;
  for (var i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
  return { id: c.id, width: c.width, height: c.height, painted: painted };
})`;

describe.skipIf(!available && !process.env.CI)('diff.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!available) throw new Error(`CI is set but ${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function check(base: Results, head: Results, name: string, canvases: number): Promise<string> {
    const file = join(ARTIFACTS, `${name}.html`);
    writeFileSync(file, renderDiffHtml(diffResults({ file: 'base/results.json', results: base }, { file: 'head/results.json', results: head }, defaultSettings())));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('request', (req) => {
      if (!/^(file|data|about):/.test(req.url())) problems.push(`network request: ${req.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const found = (await page.evaluate(CANVAS_PROBE)) as Array<{ id: string; width: number; height: number; painted: number }>;
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
