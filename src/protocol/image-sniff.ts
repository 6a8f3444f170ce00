// Cheap image header checks for the sampled validity check: the format from its magic bytes and
// the dimensions from the first header chunk (JPEG SOF, PNG IHDR, WebP VP8 / VP8L / VP8X), without
// decoding pixels.

export interface SniffedImage {
  format: 'webp' | 'jpeg' | 'png' | 'gif' | 'unknown';
  /** 0 when the header does not say (or is cut short). */
  width: number;
  height: number;
}

export function sniffImage(buf: Buffer, offset = 0): SniffedImage {
  const n = buf.length - offset;
  if (n >= 3 && buf[offset] === 0xff && buf[offset + 1] === 0xd8 && buf[offset + 2] === 0xff) return { format: 'jpeg', ...jpegSize(buf, offset) };
  if (n >= 8 && buf.readUInt32BE(offset) === 0x89504e47 && buf.readUInt32BE(offset + 4) === 0x0d0a1a0a) {
    return n >= 24 ? { format: 'png', width: buf.readUInt32BE(offset + 16), height: buf.readUInt32BE(offset + 20) } : { format: 'png', width: 0, height: 0 };
  }
  if (n >= 12 && buf.toString('latin1', offset, offset + 4) === 'RIFF' && buf.toString('latin1', offset + 8, offset + 12) === 'WEBP') return { format: 'webp', ...webpSize(buf, offset) };
  if (n >= 6 && buf.toString('latin1', offset, offset + 3) === 'GIF') return { format: 'gif', width: n >= 10 ? buf.readUInt16LE(offset + 6) : 0, height: n >= 10 ? buf.readUInt16LE(offset + 8) : 0 };
  return { format: 'unknown', width: 0, height: 0 };
}

function jpegSize(buf: Buffer, offset: number): { width: number; height: number } {
  let i = offset + 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return { width: 0, height: 0 };
    const marker = buf[i + 1] as number;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = buf.readUInt16BE(i + 2);
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  return { width: 0, height: 0 };
}

function webpSize(buf: Buffer, offset: number): { width: number; height: number } {
  const chunk = offset + 12;
  if (buf.length < chunk + 30) return { width: 0, height: 0 };
  const kind = buf.toString('latin1', chunk, chunk + 4);
  if (kind === 'VP8 ') return { width: buf.readUInt16LE(chunk + 14) & 0x3fff, height: buf.readUInt16LE(chunk + 16) & 0x3fff };
  if (kind === 'VP8L') {
    const b = buf.readUInt32LE(chunk + 9);
    return { width: (b & 0x3fff) + 1, height: ((b >>> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { width: buf.readUIntLE(chunk + 12, 3) + 1, height: buf.readUIntLE(chunk + 15, 3) + 1 };
  return { width: 0, height: 0 };
}
