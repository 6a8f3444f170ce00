// Corpus keys: defaults, validation, the content hash that names a cache entry, and display labels.
import { createHash } from 'node:crypto';
import type { FrameFormat } from '../protocol/header.js';
import { RESOLUTION_PRESETS } from './resolution.js';

/** Bump when the synthetic content or the encoder settings change: old cache entries stop matching. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_FRAMES = 60;
export const DEFAULT_SEED = 1;
export const MAX_FRAMES = 1000;
export const FRAME_FORMATS: readonly FrameFormat[] = ['webp', 'jpeg', 'png'];

export interface CorpusKey {
  format: FrameFormat;
  width: number;
  height: number;
  /** 1–100 for webp and jpeg. PNG is always lossless: its quality is ignored (zlib level 6). */
  quality: number;
  frames?: number;
  seed?: number;
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`corpus key: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Fills in defaults and validates; throws RangeError naming the bad field. */
export function resolveKey(key: CorpusKey): Required<CorpusKey> {
  if (!FRAME_FORMATS.includes(key.format)) {
    throw new RangeError(`corpus key: format must be one of ${FRAME_FORMATS.join(', ')}, got ${String(key.format)}`);
  }
  const full: Required<CorpusKey> = {
    format: key.format,
    width: key.width,
    height: key.height,
    quality: key.quality,
    frames: key.frames ?? DEFAULT_FRAMES,
    seed: key.seed ?? DEFAULT_SEED,
  };
  checkInt('width', full.width, 16, 7680);
  checkInt('height', full.height, 16, 4320);
  checkInt('quality', full.quality, 1, 100);
  checkInt('frames', full.frames, 1, MAX_FRAMES);
  checkInt('seed', full.seed, 0, 0xffffffff);
  return full;
}

/** Quality that actually reaches the encoder: PNG ignores it, so PNG entries of any quality share one file. */
export function effectiveQuality(key: Pick<CorpusKey, 'format' | 'quality'>): number | null {
  return key.format === 'png' ? null : key.quality;
}

/** Content hash of a resolved key: generator version plus every parameter that changes the bytes. */
export function corpusHash(key: Required<CorpusKey>): string {
  const material = JSON.stringify({
    generator: GENERATOR_VERSION,
    format: key.format,
    width: key.width,
    height: key.height,
    quality: effectiveQuality(key),
    frames: key.frames,
    seed: key.seed,
  });
  return createHash('sha256').update(material).digest('hex');
}

/** "720p" for a preset size, "1000x500" otherwise. */
export function resolutionLabel(width: number, height: number): string {
  for (const [name, d] of Object.entries(RESOLUTION_PRESETS)) {
    if (d.width === width && d.height === height) return name;
  }
  return `${width}x${height}`;
}

/** "webp 720p q75", "png 720p" */
export function keyLabel(key: CorpusKey): string {
  const q = effectiveQuality(key);
  return `${key.format} ${resolutionLabel(key.width, key.height)}${q === null ? '' : ` q${q}`}`;
}
