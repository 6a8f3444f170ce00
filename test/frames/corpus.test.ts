// Frame corpus: disk cache reuse, memoisation, determinism, codec figures and frame shape.
import { mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameCorpus, type CorpusKey } from '../../src/frames/corpus.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'framebench-corpus-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const small = (format: CorpusKey['format'], extra: Partial<CorpusKey> = {}): CorpusKey => ({
  format,
  width: 160,
  height: 90,
  quality: 75,
  frames: 8,
  ...extra,
});

describe('FrameCorpus cache', () => {
  it('builds once, then a fresh corpus on the same directory loads from disk without encoding', async () => {
    const cacheDir = await tempDir();
    const progress: string[] = [];
    const first = new FrameCorpus({ cacheDir, onProgress: (msg) => progress.push(msg) });
    const built = await first.get(small('webp'));
    expect(built.cached).toBe(false);
    expect(first.built).toBe(1);
    expect(progress.at(-1)).toBe('encoding webp 160x90 q75 8/8');

    const file = first.fileFor(small('webp'));
    const before = await stat(file);

    const laterProgress: string[] = [];
    const second = new FrameCorpus({ cacheDir, onProgress: (msg) => laterProgress.push(msg) });
    const reused = await second.get(small('webp'));
    expect(reused.cached).toBe(true);
    expect(second.built).toBe(0);
    expect(laterProgress).toEqual([]);
    expect(reused.hash).toBe(built.hash);
    expect(reused.stats).toEqual(built.stats);
    expect(reused.frames.map((f) => f.toString('base64'))).toEqual(built.frames.map((f) => f.toString('base64')));
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);

    const summary = await new FrameCorpus({ cacheDir }).summary(small('webp'));
    expect(summary).toMatchObject({ cached: true, stats: built.stats, file });
  });

  it('memoises in-process: concurrent gets share one promise and one build', async () => {
    const corpus = new FrameCorpus({ cacheDir: await tempDir() });
    const a = corpus.get(small('jpeg'));
    const b = corpus.get({ ...small('jpeg') });
    expect(b).toBe(a);
    const [summary, entry] = await Promise.all([corpus.summary(small('jpeg')), a]);
    expect(corpus.built).toBe(1);
    expect(summary.stats).toEqual(entry.stats);
  });

  it('two corpora building the same entry at once both succeed and leave one valid file', async () => {
    const cacheDir = await tempDir();
    const [a, b] = await Promise.all([new FrameCorpus({ cacheDir }).get(small('png')), new FrameCorpus({ cacheDir }).get(small('png'))]);
    expect(a.frames.length).toBe(8);
    expect(b.frames.length).toBe(8);
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.fbc'))).toHaveLength(1);
    expect((await new FrameCorpus({ cacheDir }).get(small('png'))).cached).toBe(true);
  });

  it('rebuilds a truncated cache file instead of returning broken frames', async () => {
    const cacheDir = await tempDir();
    const corpus = new FrameCorpus({ cacheDir });
    await corpus.get(small('webp', { frames: 3 }));
    const file = corpus.fileFor(small('webp', { frames: 3 }));
    await truncate(file, (await stat(file)).size - 10);
    const again = new FrameCorpus({ cacheDir });
    const entry = await again.get(small('webp', { frames: 3 }));
    expect(entry.cached).toBe(false);
    expect(again.built).toBe(1);
    expect(entry.frames).toHaveLength(3);
  });

  it('shares one file between png entries that differ only in the (ignored) quality', async () => {
    const corpus = new FrameCorpus({ cacheDir: await tempDir() });
    expect(corpus.fileFor(small('png', { quality: 10 }))).toBe(corpus.fileFor(small('png', { quality: 90 })));
    expect(corpus.fileFor(small('webp', { quality: 10 }))).not.toBe(corpus.fileFor(small('webp', { quality: 90 })));
  });

  it('rejects invalid keys with a message naming the field', async () => {
    const corpus = new FrameCorpus({ cacheDir: await tempDir() });
    await expect(corpus.get(small('webp', { quality: 0 }))).rejects.toThrow(/quality must be an integer from 1 to 100, got 0/);
    await expect(corpus.get(small('webp', { width: 10 }))).rejects.toThrow(/width/);
  });
});

describe('corpus content', () => {
  it('is deterministic: the same seed gives the same bytes, another seed different bytes', async () => {
    const [x, y, z] = await Promise.all([
      new FrameCorpus({ cacheDir: await tempDir() }).get(small('png', { frames: 3 })),
      new FrameCorpus({ cacheDir: await tempDir() }).get(small('png', { frames: 3 })),
      new FrameCorpus({ cacheDir: await tempDir() }).get(small('png', { frames: 3, seed: 2 })),
    ]);
    expect(Buffer.concat(y.frames).equals(Buffer.concat(x.frames))).toBe(true);
    expect(Buffer.concat(z.frames).equals(Buffer.concat(x.frames))).toBe(false);
    expect(z.hash).not.toBe(x.hash);
  });

  it('has the requested frame count and dimensions, in the requested format', async () => {
    const corpus = new FrameCorpus({ cacheDir: await tempDir() });
    for (const format of ['webp', 'jpeg', 'png'] as const) {
      const entry = await corpus.get(small(format));
      expect(entry.frames).toHaveLength(8);
      expect(entry.key).toEqual({ format, width: 160, height: 90, quality: 75, frames: 8, seed: 1 });
      const meta = await sharp(entry.frames[5]!).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format, width: 160, height: 90 });
      const frames = new Set(entry.frames.map((f) => f.toString('base64')));
      expect(frames.size).toBe(8);
    }
  });

  it('measures the codecs: png larger than webp, webp PSNR plausible, png lossless', async () => {
    const corpus = new FrameCorpus({ cacheDir: await tempDir() });
    const webp = await corpus.get(small('webp'));
    const png = await corpus.get(small('png'));
    expect(png.stats.meanBytes).toBeGreaterThan(webp.stats.meanBytes);
    expect(webp.stats.meanBytes).toBe(Math.round(webp.frames.reduce((s, f) => s + f.length, 0) / webp.frames.length));
    expect(webp.stats.psnr).not.toBeNull();
    expect(Number.isFinite(webp.stats.psnr)).toBe(true);
    expect(webp.stats.psnr!).toBeGreaterThan(25);
    expect(webp.stats.psnr!).toBeLessThan(60);
    expect(png.stats.psnr).toBeNull();
    for (const s of [webp.stats, png.stats]) {
      expect(s.encodeMs).toBeGreaterThan(0);
      expect(s.decodeMs).toBeGreaterThan(0);
    }
  });
});
