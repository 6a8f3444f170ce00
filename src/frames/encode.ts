// The corpus's only contact with sharp: encode raw RGB to a frame format and decode it back.
// sharp is imported lazily, so loading framebench's CLI never pays for libvips.
import type { FrameFormat } from '../protocol/header.js';

type SharpFn = typeof import('sharp')['default'];

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export interface EncoderVersions {
  sharp: string;
  vips: string;
}

let loading: Promise<SharpFn> | undefined;

export function loadSharp(): Promise<SharpFn> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}

export async function encoderVersions(): Promise<EncoderVersions> {
  const sharp = await loadSharp();
  return { sharp: sharp.versions.sharp, vips: sharp.versions.vips };
}

/**
 * Encoder settings per format. Part of the corpus content: change them together with
 * GENERATOR_VERSION. PNG is lossless; its quality is ignored and zlib level 6 (sharp's and
 * zlib's default, the usual server setting) is used.
 */
export async function encodeFrame(raw: RawImage, format: FrameFormat, quality: number): Promise<Buffer> {
  const sharp = await loadSharp();
  const img = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  switch (format) {
    case 'webp':
      return img.webp({ quality, effort: 4 }).toBuffer();
    case 'jpeg':
      return img.jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer();
    case 'png':
      return img.png({ compressionLevel: 6, adaptiveFiltering: false, palette: false }).toBuffer();
  }
}

/** Decodes an encoded frame to raw RGB (alpha, if any, dropped). */
export async function decodeFrame(data: Buffer): Promise<RawImage> {
  const sharp = await loadSharp();
  const { data: pixels, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: pixels, width: info.width, height: info.height, channels: info.channels };
}
