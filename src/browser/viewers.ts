// Browser viewers: Debian's Chromium through playwright-core, one page per viewer running the
// viewer script (page-script.ts). start() opens the pages' streams, measure() starts their
// measured window, stop() ends it and merges the pages' results (merge.ts). Every call into a
// page is bounded by a timeout; a page that fails is reported in `errors`, never waited on forever.
// Chromium runs in its own process group with playwright's signal handlers off: Ctrl-C reaches
// only the harness, whose interrupt ends the cell (stop() still collects what was measured).
import { chromium, type Browser, type Page } from 'playwright-core';
import { TargetError } from '../errors.js';
import type { BrowserResult } from '../results/types.js';
import { mergeViewerResults } from './merge.js';
import type { ViewerConfig, ViewerPageResult } from './page/viewer-main.js';
import { viewerPageScript } from './page-script.js';

export const CHROMIUM_PATH = process.env.FRAMEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu'];
const CALL_TIMEOUT_MS = 20_000;
const MAX_ERRORS = 8;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? '';

type ViewerWindow = Window & { __framebenchViewer(c: ViewerConfig): boolean; __framebenchControl: { measure(): void; stop(): ViewerPageResult } };

export class BrowserViewers {
  private pages: (Page | undefined)[] = [];
  private started: Promise<void> | undefined;
  private readonly errors: string[] = [];
  private fps = 30;

  private constructor(
    private readonly browser: Browser,
    private readonly count: number,
  ) {}

  static async launch(pages: number): Promise<BrowserViewers> {
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, timeout: 60_000 });
      return new BrowserViewers(browser, pages);
    } catch (err) {
      throw new TargetError(`cannot start Chromium at ${CHROMIUM_PATH} for browser viewers: ${firstLine(err)} (install it with: apt-get install -y chromium, or point FRAMEBENCH_CHROMIUM at a Chromium binary)`);
    }
  }

  private fail(page: number, err: unknown): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`page ${page + 1}: ${firstLine(err)}`);
    const p = this.pages[page];
    this.pages[page] = undefined;
    void p?.close().catch(() => {});
  }

  /** Opens every page and its streams (resolves when all pages started or failed). */
  start(cfg: Omit<ViewerConfig, 'page'>): Promise<void> {
    const script = viewerPageScript();
    this.fps = cfg.fps;
    this.started = Promise.all(
      Array.from({ length: this.count }, async (_, page) => {
        try {
          const p = await withTimeout(this.browser.newPage(), CALL_TIMEOUT_MS, 'a new Chromium page');
          this.pages[page] = p;
          p.on('pageerror', (e) => {
            if (this.errors.length < MAX_ERRORS) this.errors.push(`page ${page + 1}: ${firstLine(e)}`);
          });
          await withTimeout(p.setContent('<!doctype html><html><body style="margin:0"></body></html>'), CALL_TIMEOUT_MS, 'the viewer page');
          await withTimeout(p.addScriptTag({ content: script }), CALL_TIMEOUT_MS, 'the viewer script');
          await withTimeout(
            p.evaluate((c) => (window as unknown as ViewerWindow).__framebenchViewer(c), { ...cfg, page }),
            CALL_TIMEOUT_MS,
            'the viewer start',
          );
        } catch (err) {
          this.fail(page, err);
        }
      }),
    ).then(() => undefined);
    return this.started;
  }

  private async each(what: string, call: (p: Page) => Promise<unknown>): Promise<unknown[]> {
    await this.started;
    return Promise.all(
      this.pages.map(async (p, page) => {
        if (!p) return undefined;
        try {
          return await withTimeout(call(p), CALL_TIMEOUT_MS, what);
        } catch (err) {
          this.fail(page, err);
          return undefined;
        }
      }),
    );
  }

  /** Starts the measured window in every page. */
  async measure(): Promise<void> {
    await this.each('the viewer measure()', (p) => p.evaluate(() => (window as unknown as ViewerWindow).__framebenchControl.measure()));
  }

  /** Ends the measured window and merges what the pages measured. */
  async stop(): Promise<BrowserResult> {
    const results = await this.each('the viewer stop()', (p) => p.evaluate(() => (window as unknown as ViewerWindow).__framebenchControl.stop()));
    return mergeViewerResults(
      results.filter((r): r is ViewerPageResult => r !== undefined),
      this.count,
      this.errors,
      this.fps,
    );
  }

  close(): Promise<void> {
    return withTimeout(this.browser.close(), CALL_TIMEOUT_MS, 'Chromium close').catch(() => {});
  }
}
