// Browser viewers in real Chromium against the reference server on 127.0.0.1: every received frame
// is decoded with createImageBitmap and painted; a server slowed by jitter makes the viewers stall;
// pages' histograms merge exactly into the cell's block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeViewerResults } from '../../src/browser/merge.js';
import type { ViewerPageResult } from '../../src/browser/page/viewer-main.js';
import { BrowserViewers } from '../../src/browser/viewers.js';
import { createHistogram, decodeHistogram, encodeHistogram, summarize } from '../../src/metrics/hdr.js';
import { startReferenceServer, type RunningServer } from '../../src/server/reference-server.js';
import { skipBrowser } from '../browser.js';
import { tempCacheDir } from '../server/helpers.js';

const cache = tempCacheDir();
let steady: RunningServer;
let slowed: RunningServer;

beforeAll(async () => {
  steady = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8 });
  slowed = await startReferenceServer({ cacheDir: cache.dir, corpusFrames: 8, jitterMs: 600 });
}, 60_000);

afterAll(async () => {
  await steady?.close();
  await slowed?.close();
  cache.remove();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function view(url: string, pages: number, streams: number, bufferDepth: number, ms: number, frames = 0) {
  const v = await BrowserViewers.launch(pages);
  try {
    await v.start({ url, streams, format: 'webp', resolution: '320x180', quality: 75, fps: 20, frames, bufferDepth });
    await sleep(1000);
    await v.measure();
    await sleep(ms);
    return await v.stop();
  } finally {
    await v.close();
  }
}

describe.skipIf(skipBrowser)('browser viewers in Chromium', () => {
  it('decode and paint every frame of a steady stream, with per-frame histograms', async () => {
    const b = await view(steady.url, 2, 2, 3, 3000, 30);
    expect(b.errors).toEqual([]);
    expect(b).toMatchObject({ pages: 2, pagesReported: 2, streams: 4, connected: 4, decodeErrors: 0, socketErrors: 0, serverErrors: 0 });
    // 4 streams × 20 fps × 3 s ≈ 240 frames; a loaded machine may deliver fewer, never none.
    expect(b.framesReceived).toBeGreaterThan(100);
    expect(b.framesDecoded + b.backlogDropped).toBeLessThanOrEqual(b.framesReceived);
    expect(b.framesDecoded).toBeGreaterThan(0.9 * b.framesReceived - 8);
    expect(b.framesPainted).toBeGreaterThan(100);
    expect(b.decode.count).toBe(b.framesDecoded);
    expect(b.paint.count).toBeGreaterThan(0);
    expect(b.frame.count).toBe(b.framesReceived);
    expect(b.decode.p50).toBeGreaterThan(0);
    expect(b.frame.min).toBeGreaterThanOrEqual(0);
    expect(b.measuredMs).toBeGreaterThan(2500);
  }, 90_000);

  it('stall when the server is slowed (600 ms jitter per frame), not when it is steady', async () => {
    const s = await view(steady.url, 1, 2, 2, 3000);
    const j = await view(slowed.url, 1, 2, 2, 3000);
    expect(j.framesPainted).toBeGreaterThan(0);
    expect(j.stalls).toBeGreaterThan(s.stalls);
    expect(j.stalls).toBeGreaterThanOrEqual(2);
    expect(j.stallMs).toBeGreaterThan(200);
    expect(j.stallRatio).toBeGreaterThan(s.stallRatio);
    expect(j.freezes).toBeGreaterThan(0);
  }, 90_000);

  it('a target Chromium cannot reach fails the viewers with data, not a hang', async () => {
    const b = await view('ws://127.0.0.1:9/', 1, 1, 1, 500);
    expect(b.connected).toBe(0);
    expect(b.socketErrors).toBe(1);
    expect(b.framesPainted).toBe(0);
  }, 60_000);
});

describe('merging viewer pages', () => {
  it('is exact: merged percentiles equal one histogram holding every page value', () => {
    const values = [
      [1200, 3400, 150_000],
      [800, 2200],
      [50_000, 99, 4100, 7000],
    ];
    const all = createHistogram();
    const pages: ViewerPageResult[] = values.map((vs, i) => {
      const h = createHistogram();
      for (const v of vs) {
        h.recordValue(v);
        all.recordValue(v);
      }
      const hdr = encodeHistogram(h);
      const counts = { painted: vs.length, droppedLate: i, droppedOverflow: 1, stalls: 2, stallMs: 100, freezes: 1, freezeMs: 300 };
      return {
        streams: 25,
        connected: 25,
        socketErrors: 0,
        socketCloses: 0,
        lastClose: '',
        serverErrors: 0,
        framesReceived: vs.length,
        bytesReceived: 1000 * vs.length,
        framesDecoded: vs.length,
        decodeErrors: 0,
        backlogDropped: 0,
        counts,
        longTasks: i,
        longTaskMs: 60 * i,
        measuredMs: 5000,
        decodeHdr: hdr,
        paintHdr: hdr,
        frameHdr: hdr,
      };
    });
    const m = mergeViewerResults(pages, 3, [], 30);
    const direct = summarize(all);
    expect(m.decode).toEqual(direct);
    expect(m.paint).toEqual(direct);
    expect(decodeHistogram(m.frame.hdr).totalCount).toBe(9);
    expect(m).toMatchObject({ pages: 3, streams: 75, framesDecoded: 9, framesPainted: 9, droppedLate: 3, droppedOverflow: 3, dropped: 6, stalls: 6, stallMs: 300, freezes: 3, longTasks: 3, longTaskMs: 180 });
    expect(m.stallRatio).toBeCloseTo(300 / (300 + 9 * (1000 / 30)), 6);
  });
});
