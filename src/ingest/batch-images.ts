// The images of a batch as the model API gets them: JSON frames keep their base64 text, binary
// frames are encoded, and the MIME type comes from the frame's format or the image's magic bytes.
import type { UploadFrame } from './wire.js';

const MIME: Record<string, string> = { jpeg: 'image/jpeg', jpg: 'image/jpeg', webp: 'image/webp', png: 'image/png' };

function sniffMime(image: Buffer): string {
  if (image[0] === 0xff && image[1] === 0xd8) return 'image/jpeg';
  if (image[0] === 0x89 && image[1] === 0x50) return 'image/png';
  if (image.subarray(0, 4).toString('latin1') === 'RIFF') return 'image/webp';
  return 'application/octet-stream';
}

/** A buffered frame as the model API gets it: base64 text and its MIME type. */
export function imageOf(frame: UploadFrame): { base64: string; mime: string } {
  if (frame.base64 !== undefined) return { base64: frame.base64, mime: MIME[frame.format] ?? 'image/jpeg' };
  const image = frame.image ?? Buffer.alloc(0);
  return { base64: image.toString('base64'), mime: sniffMime(image) };
}
