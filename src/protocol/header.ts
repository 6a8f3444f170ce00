// Binary frame header of the reference protocol: written by the server, parsed in place by clients.
//
// Layout (big-endian, 32 bytes):
//   0  u16 magic 0xFB42      2  u8 version     3  u8 format code
//   4  u32 requestId         8  u32 seq        12 f64 due time, µs since the Unix epoch
//   20 u16 width             22 u16 height     24 u32 payload length   28 u32 reserved
export const HEADER_BYTES = 32;
export const HEADER_MAGIC = 0xfb42;
export const HEADER_VERSION = 1;

export const FORMAT_CODES = { webp: 1, jpeg: 2, png: 3, raw: 4 } as const;
export type FrameFormat = 'webp' | 'jpeg' | 'png';
export type FormatCode = (typeof FORMAT_CODES)[keyof typeof FORMAT_CODES];

export interface FrameHeader {
  format: FormatCode;
  requestId: number;
  seq: number;
  timeUs: number;
  width: number;
  height: number;
  payloadBytes: number;
}

export function formatCode(format: FrameFormat | 'raw'): FormatCode {
  return FORMAT_CODES[format];
}

export function formatName(code: number): FrameFormat | 'raw' | undefined {
  for (const [name, c] of Object.entries(FORMAT_CODES)) if (c === code) return name as FrameFormat | 'raw';
  return undefined;
}

export function writeHeader(buf: Buffer, h: FrameHeader, offset = 0): void {
  buf.writeUInt16BE(HEADER_MAGIC, offset);
  buf.writeUInt8(HEADER_VERSION, offset + 2);
  buf.writeUInt8(h.format, offset + 3);
  buf.writeUInt32BE(h.requestId >>> 0, offset + 4);
  buf.writeUInt32BE(h.seq >>> 0, offset + 8);
  buf.writeDoubleBE(h.timeUs, offset + 12);
  buf.writeUInt16BE(h.width, offset + 20);
  buf.writeUInt16BE(h.height, offset + 22);
  buf.writeUInt32BE(h.payloadBytes >>> 0, offset + 24);
  buf.writeUInt32BE(0, offset + 28);
}

export function encodeHeader(h: FrameHeader): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(buf, h);
  return buf;
}

/** True when buf starts with a framebench header of a known version. */
export function isFrame(buf: Buffer): boolean {
  return buf.length >= HEADER_BYTES && buf.readUInt16BE(0) === HEADER_MAGIC && buf[2] === HEADER_VERSION;
}

// Field readers for the hot path: no object is allocated per frame.
export const readRequestId = (buf: Buffer): number => buf.readUInt32BE(4);
export const readSeq = (buf: Buffer): number => buf.readUInt32BE(8);
export const readTimeUs = (buf: Buffer): number => buf.readDoubleBE(12);

export function decodeHeader(buf: Buffer): FrameHeader {
  if (!isFrame(buf)) throw new Error('not a framebench frame');
  return {
    format: buf.readUInt8(3) as FormatCode,
    requestId: buf.readUInt32BE(4),
    seq: buf.readUInt32BE(8),
    timeUs: buf.readDoubleBE(12),
    width: buf.readUInt16BE(20),
    height: buf.readUInt16BE(22),
    payloadBytes: buf.readUInt32BE(24),
  };
}
