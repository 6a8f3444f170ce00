// The chaos section of the HTML report: present (with its nav link) only when a cell has chaos, every
// event detail and command output escaped, unrecovered faults highlighted, the markdown chaos line;
// then the page in real headless Chromium: no console errors, the chaos canvases painted, a screenshot.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandStatus } from '../../src/report/html/chaos.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { HOSTILE_ERROR, HOSTILE_OUTPUT, buildChaosResults } from '../fixtures/results-chaos.js';
import { buildSweepResults } from '../fixtures/results-sweep.js';
import { ARTIFACTS, launchChromium, openHtml, paintedCanvases, skipBrowser } from '../browser.js';

function sectionOf(page: string): string {
  const start = page.indexOf('<section id="chaos">');
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('chaos section', () => {
  const results = buildChaosResults();
  const page = renderHtmlReport(results);
  const chaos = sectionOf(page);

  it('is rendered with a nav link for the cell that has chaos, and only for it', () => {
    expect(page).toContain('<a href="#chaos">Chaos</a>');
    expect(chaos).toContain('id="chaos-0"');
    expect(chaos).not.toContain('id="chaos-1"');
    expect(chaos).toContain('id="chart-chaos-0"');
    expect(chaos).toContain('id="chart-chaos-loss-0"');
  });

  it('is absent, nav link included, when no cell has chaos', () => {
    const plain = renderHtmlReport(buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 }));
    expect(plain).not.toContain('id="chaos"');
    expect(plain).not.toContain('href="#chaos"');
  });

  it('lists every fault with what it hit, baseline, recovery and loss', () => {
    const rows = chaos.split('<tbody>')[1]!.split('</tbody>')[0]!.split('<tr').slice(1);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toContain('killed 20 of 200 clients (fraction 0.1)');
    expect(rows[0]).toContain('>3 s</td>');
    expect(rows[1]).toContain('15 → 17.4 s');
    expect(rows[2]).toContain('28 → 34 s');
    expect(rows[2]).toContain('black hole');
  });

  it('highlights faults that never recovered', () => {
    const unrecovered = results.cells[0]!.chaos!.faults.filter((f) => f.recoverSec === null);
    expect(unrecovered.length).toBeGreaterThan(0);
    expect((chaos.match(/<td class="num bad"[^>]*>not recovered<\/td>/g) ?? []).length).toBe(unrecovered.length);
    expect((chaos.match(/<tr class="row-fail">/g) ?? []).length).toBe(unrecovered.length);
    expect(chaos).toContain(`${unrecovered.length} of 6 not recovered`);
  });

  it('escapes event details and command output', () => {
    expect(page).not.toContain('<script>alert("owned")');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<done>');
    expect(chaos).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(chaos).toContain('&lt;img src=x onerror=alert(5)&gt;');
    expect(chaos).toContain('&lt;done&gt;');
    expect((page.match(/<script/gi) ?? []).length).toBe(3);
    expect(HOSTILE_OUTPUT).toContain('<script>');
    expect(HOSTILE_ERROR).toContain('<img');
  });

  it('shows command status as a pill and the output tail collapsed', () => {
    expect(chaos).toContain('<span class="pill pass">exit 0 after 1.30s</span>');
    expect(chaos).toContain('<span class="pill fail">exit 1 after 0.12s</span>');
    expect(chaos).toMatch(/<details class="output"><summary>output tail \(3 lines\)<\/summary><pre>rollout restarted/);
    expect(commandStatus('a: b: exit 0 after 1s')).toEqual({ run: 'a: b', status: 'exit 0 after 1s', ok: true });
    expect(commandStatus('x: timed out after 30s, killed (SIGTERM)')?.ok).toBe(false);
    expect(commandStatus('no status here')).toBeUndefined();
  });

  it('summarises recovery, reconnects and the frame accounting', () => {
    const cell = results.cells[0]!;
    const c = cell.counts;
    const fmt = (n: number): string => n.toLocaleString('en-US');
    expect(chaos).toContain(`${fmt(c.framesExpected)} = ${fmt(c.framesReceived)} + ${fmt(c.framesLost)} <span class="acct-ok"`);
    expect(chaos).toContain(`${fmt(c.reconnects)} reconnects · ${fmt(c.resumes)} resumed streams`);
    expect(chaos).toContain('reconnect time p50');
    expect(chaos).toMatch(/p50 \d+ s · p99 \d+ s · max \d+ s/);
  });

  it('adds one chaos line to the markdown summary, only when a cell has chaos', () => {
    const md = renderMarkdown(results);
    const line = md.split('\n').find((l) => l.startsWith('**Chaos:**'));
    expect(line).toMatch(/^\*\*Chaos:\*\* 6 faults · worst recovery \d+s · ⚠️ \d+ not recovered · frames lost by kind: kill-clients \d+, restart-server \d+/);
    expect(renderMarkdown(buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 }))).not.toContain('Chaos');
  });
});

describe.skipIf(skipBrowser)('chaos section in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws the chaos charts without console errors and keeps a screenshot', async () => {
    const { page, problems } = await openHtml(browser, renderHtmlReport(buildChaosResults()), 'report-chaos');
    const painted = await paintedCanvases(page, '#chaos canvas');
    expect(painted.map((c) => c.id)).toEqual(['chart-chaos-0', 'chart-chaos-loss-0']);
    for (const c of painted) expect(c.painted, `${c.id} has drawn pixels`).toBeGreaterThan(2000);
    expect(await page.locator('#chaos details.output pre').first().textContent()).toContain('<script>alert("owned")</script>');
    await page.locator('#chaos details.output summary').first().click();
    expect(await page.locator('#chaos details.output pre').first().isVisible()).toBe(true);
    expect(await page.locator('#chaos td.bad').first().innerText()).toBe('not recovered');
    await page.evaluate("document.querySelector('nav.toc').style.position = 'static'");
    await page.locator('#chaos').screenshot({ path: join(ARTIFACTS, 'report-chaos.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
