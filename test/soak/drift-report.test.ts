// The soak section of the HTML report and the markdown drift line: present only with results.soak,
// every string from the results escaped, verdict table, thresholds, charts; and the page opens in
// headless Chromium without console errors with every soak chart painted.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildMinimalResults } from '../fixtures/results-sweep.js';
import { soakResults } from './synthetic.js';
import { ARTIFACTS, launchChromium, openHtml, paintedCanvases, skipBrowser } from '../browser.js';

function chartIds(page: string): string[] {
  const json = /<script type="application\/json" id="fb-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '{}';
  return (JSON.parse(json) as { charts: Array<{ id: string; kind: string }> }).charts.filter((c) => c.kind === 'drift').map((c) => c.id);
}

describe('soak section of the HTML report', () => {
  const results = soakResults();
  const page = renderHtmlReport(results);

  it('renders the verdict, per-metric table, thresholds, churn and scrape notes', () => {
    expect(page).toContain('<section id="soak">');
    expect(page).toContain('<a href="#soak">Soak</a>');
    expect(page).toContain('<span class="pill fail">drifting</span>');
    expect(page).toMatch(/p99 frame latency rose 3\d % from the first to the last 12 minutes/);
    expect(page).toMatch(/target memory rose \d+ % from the first to the last 12 minutes \(\+[\d.]+ MB\/h\)/);
    expect(page).toContain('<code>frame.p99</code>');
    expect(page).toContain('drift.frame.p99 &lt; 20%');
    expect(page).toContain('<span class="badge warn">insufficient data</span>');
    expect(page).toContain('peak 400 × 3 · 10m → 1,200, 2h → 1,200, 5m → 0');
    expect(page).toMatch(/121 reconnects over the hold \(1\.01 per minute\)/);
    expect(page).toContain('3 failed scrapes');
    expect(page.indexOf('id="soak"')).toBeLessThan(page.indexOf('id="cells"'));
  });

  it('escapes URLs, errors, labels and series names from the results', () => {
    for (const bad of ['<img src=x', '<b>down', '<script>alert(2)']) expect(page).not.toContain(bad);
    expect(page).toContain('HTTP 503 &lt;b&gt;down&lt;/b&gt;');
    expect(page).toContain('https://b.example/metrics?x=&lt;img src=x onerror=alert(1)&gt;');
    expect((page.match(/<script/gi) ?? []).length).toBe(3);
    expect(page).toContain('\\u003cscript\\u003ealert(2)');
  });

  it('adds the hold and scrape charts as drift-kind chart specs', () => {
    const ids = chartIds(page);
    expect(ids.slice(0, 2)).toEqual(['chart-drift-latency', 'chart-drift-fps']);
    expect(ids.filter((id) => id.startsWith('chart-scrape-'))).toHaveLength(7);
    for (const id of ids) expect(page).toContain(`<canvas id="${id}"`);
  });

  it('is absent without results.soak and says so when there is no drift report', () => {
    const plain = renderHtmlReport(buildMinimalResults());
    expect(plain).not.toContain('id="soak"');
    expect(plain).not.toContain('href="#soak"');
    const early = renderHtmlReport(soakResults({ drift: undefined, driftThresholds: undefined, scrape: [] }));
    expect(early).toContain('No drift analysis in this results file');
    expect(early).toContain('was not scraped');
    expect(chartIds(early)).toEqual([]);
  });
});

describe('markdown drift line', () => {
  it('summarises drift, memory and churn, and lists failed drift thresholds', () => {
    const md = renderMarkdown(soakResults());
    const line = md.split('\n').find((l) => l.startsWith('**Drift over the hold:**'));
    expect(line).toMatch(/⚠️ drifting: p99 frame latency rose 3\d % from the first to the last 12 minutes; target memory rose/);
    expect(line).toContain('1.0 reconnects/min');
    expect(line).toMatch(/failed: drift.frame.p99 \\< 20% \(3\d\.\d\)/);
    expect(renderMarkdown(buildMinimalResults())).not.toContain('Drift');
  });
});

describe.skipIf(skipBrowser)('soak section in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every soak chart without console errors', async () => {
    const html = renderHtmlReport(soakResults());
    const { page, problems } = await openHtml(browser, html, 'report-soak');
    const painted = (await paintedCanvases(page, '#soak canvas')).map((c) => c.painted);
    expect(painted).toHaveLength(chartIds(html).length);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    expect(await page.locator('#soak .chart-box').first().innerText()).toBe('');
    await page.locator('#soak').screenshot({ path: join(ARTIFACTS, 'report-soak.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
