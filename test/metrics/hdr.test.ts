import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, HDR_MAX_US, mergeHistograms, percentileSpectrum, recordUs, summarize } from '../../src/metrics/hdr.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('HDR module', () => {
  it('encode → decode → merge equals recording everything in one histogram', () => {
    const rnd = lcg(42);
    const all = createHistogram();
    const parts = [createHistogram(), createHistogram(), createHistogram()];
    for (let i = 0; i < 30_000; i++) {
      const v = Math.floor(200 + rnd() ** 3 * 2_000_000);
      recordUs(all, v);
      recordUs(parts[i % 3]!, v);
    }
    const merged = mergeHistograms(parts.map((p) => decodeHistogram(encodeHistogram(p))));
    expect(merged.totalCount).toBe(all.totalCount);
    for (const p of [0, 50, 90, 99, 99.9, 99.99, 100]) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p));
    const a = summarize(all);
    const b = summarize(merged);
    expect({ ...b, hdr: '' }).toEqual({ ...a, hdr: '' });
  });

  it('summarises in ms and clamps out-of-range values', () => {
    const h = createHistogram();
    recordUs(h, 1500);
    recordUs(h, -5);
    recordUs(h, HDR_MAX_US * 10);
    const s = summarize(h);
    expect(s.count).toBe(3);
    expect(s.max).toBeGreaterThanOrEqual(HDR_MAX_US / 1000);
    expect(s.max).toBeLessThan((HDR_MAX_US / 1000) * 1.001);
    expect(s.p50).toBeCloseTo(1.5, 2);
  });

  it('gives an empty summary for an empty histogram, and a spectrum ending at the max', () => {
    expect(summarize(createHistogram())).toMatchObject({ count: 0, p99: 0, max: 0 });
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordUs(h, i * 1000);
    const spectrum = percentileSpectrum(encodeHistogram(h));
    expect(spectrum[0]).toEqual({ percentile: 0, ms: expect.closeTo(1, 1) });
    expect(spectrum.at(-1)).toEqual({ percentile: 100, ms: expect.closeTo(1000, 0) });
    for (let i = 1; i < spectrum.length; i++) expect(spectrum[i]!.ms).toBeGreaterThanOrEqual(spectrum[i - 1]!.ms);
  });
});
