// Pure pieces of the codec table: PSNR, per-frame summaries and the terminal rendering.
import { describe, expect, it } from 'vitest';
import { codecTable, formatCodecTable, type CodecRow } from '../../src/frames/corpus.js';
import { psnr, summarizeSamples } from '../../src/frames/codec-stats.js';

describe('psnr', () => {
  it('is Infinity for identical images and 10·log10(255²/MSE) otherwise', () => {
    const a = Uint8Array.from([10, 20, 30, 40]);
    expect(psnr(a, a.slice())).toBe(Infinity);
    const b = Uint8Array.from([12, 18, 30, 40]);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 2), 10);
  });

  it('rejects images of different sizes', () => {
    expect(() => psnr(new Uint8Array(3), new Uint8Array(6))).toThrow(RangeError);
  });
});

describe('summarizeSamples', () => {
  it('averages per-frame figures and reports lossless as null', () => {
    const lossy = summarizeSamples([
      { bytes: 100, encodeMs: 1, decodeMs: 0.5, psnr: 40 },
      { bytes: 201, encodeMs: 2, decodeMs: 1.5, psnr: 30 },
    ]);
    expect(lossy).toEqual({ meanBytes: 151, encodeMs: 1.5, decodeMs: 1, psnr: 35 });
    const lossless = summarizeSamples([{ bytes: 10, encodeMs: 1, decodeMs: 1, psnr: Infinity }]);
    expect(lossless.psnr).toBeNull();
    expect(JSON.parse(JSON.stringify(lossless)).psnr).toBeNull();
  });
});

const rows: CodecRow[] = [
  { format: 'webp', resolution: '480p', width: 854, height: 480, quality: 75, meanBytes: 14812, encodeMs: 52.81, decodeMs: 3.6, psnr: 38.61, cached: true },
  { format: 'jpeg', resolution: '480p', width: 854, height: 480, quality: 75, meanBytes: 32688, encodeMs: 4.244, decodeMs: 3.291, psnr: 39.04, cached: true },
  { format: 'png', resolution: '1000x500', width: 1000, height: 500, quality: 75, meanBytes: 946990, encodeMs: 140.1, decodeMs: 6.25, psnr: null, cached: false },
];

describe('formatCodecTable', () => {
  it('renders an aligned table with "lossless" for png and no quality for it', () => {
    expect(formatCodecTable(rows)).toBe(
      [
        'format  resolution  quality  kB/frame  encode ms  decode ms   PSNR dB  cache',
        'webp    480p             75      14.8       52.8       3.60      38.6  reused',
        'jpeg    480p             75      32.7       4.24       3.29      39.0  reused',
        'png     1000x500          -     947.0      140.1       6.25  lossless  built',
        '',
      ].join('\n'),
    );
  });
});

describe('codecTable', () => {
  it('turns corpus summaries into rows, in key order, labelling preset sizes', async () => {
    const stats = { meanBytes: 1, encodeMs: 2, decodeMs: 3, psnr: null };
    const corpus = {
      summary: async (key: Parameters<typeof codecTable>[1][number]) => ({ key: { frames: 60, seed: 1, ...key }, stats, cached: key.format === 'png' }),
    };
    const out = await codecTable(corpus, [
      { format: 'png', width: 1280, height: 720, quality: 75 },
      { format: 'webp', width: 300, height: 200, quality: 50 },
    ]);
    expect(out).toEqual([
      { format: 'png', resolution: '720p', width: 1280, height: 720, quality: 75, ...stats, cached: true },
      { format: 'webp', resolution: '300x200', width: 300, height: 200, quality: 50, ...stats, cached: false },
    ]);
  });
});
