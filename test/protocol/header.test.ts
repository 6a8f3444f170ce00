import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, decodeHeader, encodeHeader, formatCode, isFrame, readRequestId, readSeq, readTimeUs } from '../../src/protocol/header.js';

describe('frame header', () => {
  const header = { format: formatCode('webp'), requestId: 4_000_000_001, seq: 123_456, timeUs: 1_764_000_000_123_456.5, width: 854, height: 480, payloadBytes: 20_480 };

  it('round-trips every field', () => {
    const buf = encodeHeader(header);
    expect(buf.length).toBe(HEADER_BYTES);
    expect(decodeHeader(buf)).toEqual(header);
  });

  it('reads fields in place from a frame with payload', () => {
    const buf = Buffer.concat([encodeHeader(header), Buffer.alloc(100, 7)]);
    expect(isFrame(buf)).toBe(true);
    expect(readRequestId(buf)).toBe(header.requestId);
    expect(readSeq(buf)).toBe(header.seq);
    expect(readTimeUs(buf)).toBe(header.timeUs);
  });

  it('rejects buffers that are not frames', () => {
    expect(isFrame(Buffer.from('{"type":"done"}'))).toBe(false);
    const bad = encodeHeader(header);
    bad[0] = 0;
    expect(isFrame(bad)).toBe(false);
    expect(() => decodeHeader(bad)).toThrow(/not a framebench frame/);
  });
});
