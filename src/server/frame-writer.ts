// Zero-copy frame writes: a frame message goes to the socket as [WebSocket frame header + our
// per-frame prefix, the shared corpus payload (, a shared suffix)] inside one cork, so the 20 KB
// payload is never copied or allocated per frame. The bytes on the wire are exactly what ws.send
// would produce for one unmasked, uncompressed, unfragmented message.
//
// This bypasses ws's Sender, which is safe only while ws itself never holds queued data for the
// socket: no permessage-deflate (the server disables it) and no Blob sends. Anything else falls
// back to ws.send with one allocated Buffer per frame.
import type WebSocket from 'ws';

export interface RawSink {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;

/** The connection's socket when frames may be written to it directly, else undefined. */
export function rawSinkOf(ws: WebSocket): RawSink | undefined {
  const socket = (ws as unknown as { _socket?: Partial<RawSink> })._socket;
  if (ws.extensions !== '' || !socket) return undefined;
  if (typeof socket.cork !== 'function' || typeof socket.uncork !== 'function' || typeof socket.write !== 'function') return undefined;
  return socket as RawSink;
}

/** Size of the (unmasked) WebSocket frame header for a payload of `len` bytes. */
export function wsHeaderBytes(len: number): 2 | 4 | 10 {
  return len < 126 ? 2 : len < 65536 ? 4 : 10;
}

/** Writes a final-fragment, unmasked frame header with `opcode` for `len` payload bytes at buf[0]. */
export function writeWsHeader(buf: Buffer, opcode: number, len: number): void {
  buf[0] = 0x80 | opcode;
  if (len < 126) {
    buf[1] = len;
  } else if (len < 65536) {
    buf[1] = 126;
    buf.writeUInt16BE(len, 2);
  } else {
    buf[1] = 127;
    buf.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    buf.writeUInt32BE(len >>> 0, 6);
  }
}
