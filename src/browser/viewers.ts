// Browser viewers: Debian's Chromium through playwright-core, B pages each running the viewer
// page (viewer-page.ts) for the cell's measured window; the pages' HDR histograms are merged
// exactly into the cell's `browser` block.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { TargetError } from '../errors.js';
import { decodeHistogram, mergeHistograms, summarize } from '../metrics/hdr.js';
import type { BrowserResult } from '../metrics/results-types.js';
import { VIEWER_SCRIPT, type ViewerConfig, type ViewerPageResult } from './viewer-page.js';

export const CHROMIUM_PATH = process.env.FRAMEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

function hdrBundle(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('hdr-histogram-js/dist/hdrhistogram.umd.js'), 'utf8');
}

export class BrowserViewers {
  private constructor(
    private readonly browser: Browser,
    private readonly pages: number,
  ) {}

  static async launch(pages: number): Promise<BrowserViewers> {
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
      return new BrowserViewers(browser, pages);
    } catch (err) {
      throw new TargetError(`cannot start Chromium at ${CHROMIUM_PATH} for browser viewers: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (install it with: apt-get install -y chromium, or set FRAMEBENCH_CHROMIUM)`);
    }
  }

  /** Runs every page for `cfg.durationMs` and merges their results. */
  async run(cfg: Omit<ViewerConfig, 'page'>): Promise<BrowserResult> {
    const bundle = hdrBundle();
    const results = await Promise.all(
      Array.from({ length: this.pages }, async (_, page) => {
        const p = await this.browser.newPage();
        try {
          await p.setContent('<!doctype html><html><body style="margin:0"></body></html>');
          await p.addScriptTag({ content: bundle });
          await p.addScriptTag({ content: VIEWER_SCRIPT });
          return (await p.evaluate((c) => (window as unknown as { __framebenchViewer(c: ViewerConfig): Promise<ViewerPageResult> }).__framebenchViewer(c), { ...cfg, page })) as ViewerPageResult;
        } finally {
          await p.close().catch(() => {});
        }
      }),
    );
    return mergeViewerResults(results);
  }

  close(): Promise<void> {
    return this.browser.close().catch(() => {});
  }
}

/** The pages' counts summed and their histograms merged (exact: the same HDR parameters). */
export function mergeViewerResults(pages: readonly ViewerPageResult[]): BrowserResult {
  const sum = (k: keyof ViewerPageResult): number => pages.reduce((n, p) => n + (p[k] as number), 0);
  const decode = mergeHistograms(pages.map((p) => decodeHistogram(p.decodeHdr)));
  const paint = mergeHistograms(pages.map((p) => decodeHistogram(p.paintHdr)));
  const out: BrowserResult = {
    pages: pages.length,
    streams: sum('streams'),
    connected: sum('connected'),
    framesReceived: sum('received'),
    framesDecoded: sum('decoded'),
    framesPainted: sum('painted'),
    dropped: sum('dropped'),
    stalls: sum('stalls'),
    freezes: sum('freezes'),
    decodeErrors: sum('decodeErrors'),
    socketErrors: sum('socketErrors'),
    longTasks: sum('longTasks'),
    longTaskMs: sum('longTaskMs'),
    decode: summarize(decode),
    paint: summarize(paint),
  };
  decode.destroy();
  paint.destroy();
  return out;
}
