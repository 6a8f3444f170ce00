// Debian's Chromium for report tests: started with the flags this machine needs, pages opened
// from file:// with every console error, page error, dialog and network request collected, and
// a probe of how many pixels each canvas drew. In CI a missing Chromium is a failure, not a skip.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve('reports/test-artifacts');
export const chromiumAvailable = existsSync(CHROMIUM);
/** Skip browser suites only outside CI when Chromium is absent. */
export const skipBrowser = !chromiumAvailable && !process.env.CI;

export function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable) throw new Error(`CI is set but ${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings, page errors, dialogs and non-local requests seen so far. */
  problems: string[];
  file: string;
}

/** Writes `html` to reports/test-artifacts/<name>.html and opens it from file://. */
export async function openHtml(browser: Browser, html: string, name: string): Promise<OpenedPage> {
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
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
  return { page, problems, file };
}

export interface CanvasInfo {
  id: string;
  width: number;
  height: number;
  /** Pixels with any alpha: what the chart drew. */
  painted: number;
}

export async function paintedCanvases(page: Page, selector = 'canvas'): Promise<CanvasInfo[]> {
  return (await page.evaluate(`Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map(function (c) {
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return { id: c.id, width: c.width, height: c.height, painted: n };
  })`)) as CanvasInfo[];
}
