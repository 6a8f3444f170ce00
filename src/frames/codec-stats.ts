// Codec figures for a corpus entry: PSNR of a decoded frame against its source,
// and per-frame measurements summarised into the means stored in the cache metadata.

export interface CodecStats {
  /** Mean encoded size of one frame, bytes. */
  meanBytes: number;
  /** Mean time to encode one frame from raw RGB, ms. */
  encodeMs: number;
  /** Mean time to decode one frame to raw RGB, ms. */
  decodeMs: number;
  /** Mean PSNR over frames (RGB, dB); null when every frame decodes exactly (lossless). */
  psnr: number | null;
}

export interface FrameSample {
  bytes: number;
  encodeMs: number;
  decodeMs: number;
  /** Infinity when the decoded frame equals the source. */
  psnr: number;
}

/** PSNR in dB of b against a over all samples (8-bit); Infinity when identical. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(`psnr: images differ in size (${a.length} vs ${b.length} bytes)`);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  if (sum === 0) return Infinity;
  const mse = sum / a.length;
  return 10 * Math.log10((255 * 255) / mse);
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Means over frames. PSNR averages the finite per-frame values; exact frames in a lossy
 * entry are rare and are left out rather than making the mean infinite.
 */
export function summarizeSamples(samples: FrameSample[]): CodecStats {
  if (samples.length === 0) throw new RangeError('summarizeSamples: no samples');
  const finite = samples.map((s) => s.psnr).filter(Number.isFinite);
  return {
    meanBytes: Math.round(mean(samples.map((s) => s.bytes))),
    encodeMs: round(mean(samples.map((s) => s.encodeMs)), 3),
    decodeMs: round(mean(samples.map((s) => s.decodeMs)), 3),
    psnr: finite.length === 0 ? null : round(mean(finite), 2),
  };
}
