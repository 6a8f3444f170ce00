// Lets the young-generation GC free a received WebSocket message. ws's receiver gathers each
// message's frames in a fresh array (`_fragments`) made when the previous message completed. On a
// connection that receives a message every few hundred milliseconds that array outlives two
// scavenges and is promoted to the old generation; the next message's buffer is pushed into it, and
// once the message is emitted the array is garbage that only a major GC frees, holding that buffer
// (and the whole socket read under it) until then. At thousands of connections every frame is held
// so: external memory grows by the stream's rate and V8 runs a full mark-compact every 64 MB of it
// (several a second at 200 MB/s), each one a main-thread pause that reads as frame latency.
// Emptying that array when its message arrives leaves the buffer to the next scavenge.
import type WebSocket from 'ws';

const CARRIER = Symbol('framebench.fragments');

interface ReceiverInternals {
  _fragments?: unknown;
}

type Tracked = WebSocket & { _receiver?: ReceiverInternals; [CARRIER]?: unknown[] };

/** Call once per socket before its first message, so the socket's shape is set once. */
export function trackMessageBuffers(ws: WebSocket): void {
  (ws as Tracked)[CARRIER] = undefined;
}

/**
 * Call from the 'message' listener: empties the array that carried this message (ws is done with
 * it by then) and notes the one that will carry the next. A ws without that internal is left alone.
 */
export function releaseMessageBuffers(ws: WebSocket): void {
  const t = ws as Tracked;
  const carried = t[CARRIER];
  if (carried !== undefined) carried.length = 0;
  const next = t._receiver?._fragments;
  t[CARRIER] = Array.isArray(next) ? next : undefined;
}
