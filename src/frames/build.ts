// Builds one corpus entry: renders each source frame, encodes it with sharp and measures the
// codec on it (size, encode and decode time, PSNR). Frames are processed one at a time so the
// timings are not skewed by other work and memory holds one raw frame at a time.
import { performance } from 'node:perf_hooks';
import { summarizeSamples, psnr, type CodecStats, type FrameSample } from './codec-stats.js';
import { decodeFrame, encodeFrame, encoderVersions, type EncoderVersions, type RawImage } from './encode.js';
import type { CorpusKey } from './key.js';
import { createScene } from './scene.js';
import { rawFrameBytes, renderFrame } from './synth.js';

export interface BuiltEntry {
  frames: Buffer[];
  stats: CodecStats;
  encoder: EncoderVersions;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export async function buildEntry(key: Required<CorpusKey>, onFrame?: (done: number, total: number) => void): Promise<BuiltEntry> {
  const scene = createScene({ width: key.width, height: key.height, frames: key.frames, seed: key.seed });
  const scratch = new Float32Array(rawFrameBytes(scene));
  const source = (index: number): RawImage => ({ data: renderFrame(scene, index, scratch), width: key.width, height: key.height, channels: 3 });

  // One untimed round trip first, so codec initialisation does not land in frame 0's timings.
  const warm = await encodeFrame(source(0), key.format, key.quality);
  await decodeFrame(warm);

  const frames: Buffer[] = [];
  const samples: FrameSample[] = [];
  for (let i = 0; i < key.frames; i++) {
    const raw = source(i);
    const [encoded, encodeMs] = await timed(() => encodeFrame(raw, key.format, key.quality));
    const [decoded, decodeMs] = await timed(() => decodeFrame(encoded));
    if (decoded.width !== key.width || decoded.height !== key.height || decoded.channels !== 3) {
      throw new Error(`corpus: ${key.format} frame ${i} decoded as ${decoded.width}x${decoded.height}x${decoded.channels}, expected ${key.width}x${key.height}x3`);
    }
    frames.push(encoded);
    samples.push({ bytes: encoded.length, encodeMs, decodeMs, psnr: psnr(raw.data, decoded.data) });
    onFrame?.(i + 1, key.frames);
  }
  return { frames, stats: summarizeSamples(samples), encoder: await encoderVersions() };
}
