// The one question a virtual client asks about every message: "what is this?". A protocol adapter
// answers it (frame / done / error / ignore, with the fields it found), builds the request and the
// cancel message, and says how a stream ends. The answer is written into a per-client Classified
// object, so the per-frame path allocates nothing.

import type { HttpProtocol } from './http-protocol.js';

export type MessageKind = 'frame' | 'done' | 'error' | 'ignore' | 'unrecognized';

/** What one message is. One instance per client, overwritten by each classify() call. */
export class Classified {
  kind: MessageKind = 'ignore';
  /** Frame: sequence number in its stream; -1 when the server sends none (arrival order counts). */
  seq = -1;
  /** Frame: server timestamp, µs since the Unix epoch; NaN when the server sends none. */
  timeUs = Number.NaN;
  /** Frame / done / error: the request id as the server wrote it; undefined when absent. */
  requestId: string | number | undefined = undefined;
  /** Frame: where the image starts in a binary message (after any embedded header). */
  payloadOffset = 0;
  /** Frame: image bytes (decoded size for base64 payloads). */
  payloadBytes = 0;
  /** Frame in JSON: the encoded payload, decoded only when the validity check samples it. */
  payloadText: string | undefined = undefined;
  payloadEncoding: 'base64' | 'text' = 'base64';
  /** Reference frame through a gateway: generator → gateway µs from the header's reserved field (0 otherwise). */
  hopUs = 0;
  /** Reference `generation` message: how long the job waited in the queue, µs. */
  queueWaitUs = 0;
  /** Done: frames the server says it sent; undefined when it does not say. */
  frames: number | undefined = undefined;
  /** Error: the server's code and message; unrecognized: why the message was not understood. */
  code = '';
  message = '';
  /** Adapter state between messages (a meta message announcing the next binary frame). */
  pendingMeta = false;
  metaSeq = -1;
  metaTimeUs = Number.NaN;
  metaRequestId: string | number | undefined = undefined;

  clear(kind: MessageKind): void {
    this.kind = kind;
    this.seq = -1;
    this.timeUs = Number.NaN;
    this.requestId = undefined;
    this.payloadOffset = 0;
    this.payloadBytes = 0;
    this.payloadText = undefined;
    this.frames = undefined;
    this.hopUs = 0;
  }
}

/** The values a request or cancel template can use. */
export interface RequestContext {
  /** framebench's own request number on this client (1, 2, …). */
  requestNo: number;
  /** The id as sent on the wire (number or string, per the adapter). */
  requestId: string | number;
  session: string;
  clientId: number;
  fps: number;
  /** Frames asked for; 0 for a continuous stream. */
  frames: number;
  format: string;
  resolution: string;
  width: number;
  height: number;
  quality: number;
  transport: string;
  prompt: string;
  uuid: string;
}

export interface UpgradeOptions {
  headers: Record<string, string>;
  query: Record<string, string | number>;
  subprotocols: string[];
}

/** cancel() answer: close the socket to end the stream. */
export const CLOSE_SOCKET = Symbol('close the socket');

export interface ProtocolAdapter {
  /** "reference", "declarative" or "module:<file>". */
  readonly name: string;
  /** framebench's reference protocol: clock exchange, resume and cancel messages are understood. */
  readonly reference: boolean;
  readonly upgrade: UpgradeOptions;
  /** End a request once it received the frames it asked for (no done message needed). */
  readonly endOnFrames: boolean;
  /** End a request after this long without a frame (µs; 0 = never). */
  readonly idleEndUs: number;
  /** Frames and done are matched to the request by id; otherwise one stream at a time. */
  readonly correlateById: boolean;
  /** Streams in flight at once per connection (more than 1 only when correlated by id). */
  readonly streams: number;
  /** Check the image header of 1 in N frames (0 = never). */
  readonly validateEvery: number;
  /** The id to put on the wire for request number n of a client. */
  wireId(requestNo: number, session: string): string | number;
  /** Text to send for a new request; undefined sends nothing (the server streams on connect). */
  request(ctx: RequestContext): string | undefined;
  /** How to cancel a stream: a message, CLOSE_SOCKET, or undefined (nothing to send). */
  cancel(ctx: RequestContext): string | typeof CLOSE_SOCKET | undefined;
  /** After a cancel message the server answers with a done (wait for it before closing). */
  readonly doneAfterCancel: boolean;
  /** Values for ${prompt}, used round robin. */
  readonly prompts: readonly string[];
  /** How SSE and polling targets are reached (declarative `start`, `sse`, `poll`); absent otherwise. */
  readonly http?: HttpProtocol;
  classify(data: Buffer, isBinary: boolean, out: Classified): void;
}

/** Same request id, allowing a server that echoes 7 as "7". */
export function sameId(a: string | number | undefined, b: string | number): boolean {
  if (a === undefined) return true;
  return a === b || (typeof a !== typeof b && String(a) === String(b));
}

/** A field a server sent, as short text: strings (cut to 80 characters), numbers and booleans; anything else is `fallback`. */
export function wireText(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v.length > 80 ? v.slice(0, 80) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fallback;
}
