// `bench probe`, the watching half: one connection, one request, and every message that comes back
// (bounded in count, bytes kept and time), each with its arrival time, size and what it looks like.
import type { ClientOptions } from 'ws';
import { open } from '../client/probe.js';
import { isFrame } from '../protocol/header.js';
import { sniffImage, type SniffedImage } from '../protocol/image-sniff.js';

export interface Observed {
  /** ms since the request was sent. */
  t: number;
  binary: boolean;
  bytes: number;
  /** Binary: starts with a framebench header. */
  framebenchHeader?: boolean;
  /** Binary (after any framebench header): the image it holds. */
  image?: SniffedImage;
  /** Text: the parsed JSON (undefined when not JSON); long string fields are cut to their head. */
  json?: unknown;
  /** Text: the first characters. */
  text?: string;
  /** Text: dotted paths of string fields that decode from base64 to an image, with that image. */
  base64Images?: Array<{ path: string; image: SniffedImage; bytes: number }>;
}

export interface Observation {
  url: string;
  request?: string;
  connectMs: number;
  messages: Observed[];
  /** Messages seen beyond the kept ones (counted, not kept). */
  dropped: number;
  closed?: { code: number; reason: string };
  endedBy: 'done' | 'time' | 'limit' | 'closed';
}

export interface ObserveOptions {
  wsOptions?: ClientOptions;
  subprotocols?: string[];
  /** Stop after this long (ms). */
  timeoutMs: number;
  /** Keep at most this many messages. */
  maxMessages: number;
  /** Stop this long after a message that looks like the end of the stream. */
  settleMs?: number;
  /** Sees every message as it arrives (e.g. a scenario's adapter checking that it fits). */
  onRaw?: (data: Buffer, isBinary: boolean) => void;
}

const DONE_WORDS = /^(done|complete|completed|end|ended|finished|finish|stream_end|eos|error|failed|rejected)$/i;
const MAX_TEXT = 400;
const MAX_DEPTH = 4;

export async function observe(url: string, request: string | undefined, opts: ObserveOptions): Promise<Observation> {
  const t0 = performance.now();
  const ws = await open(url, opts.wsOptions ?? {}, Math.min(10_000, opts.timeoutMs), opts.subprotocols ?? []);
  const connectMs = performance.now() - t0;
  const obs: Observation = { url, request, connectMs, messages: [], dropped: 0, endedBy: 'time' };
  const sentAt = performance.now();
  return new Promise((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const finish = (why: Observation['endedBy']): void => {
      clearTimeout(timer);
      if (settle) clearTimeout(settle);
      obs.endedBy = obs.endedBy === 'time' ? why : obs.endedBy;
      ws.removeAllListeners('message');
      ws.removeAllListeners('close');
      if (why !== 'closed') ws.close(1000, 'probe done');
      resolve(obs);
    };
    const timer = setTimeout(() => finish('time'), opts.timeoutMs);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      opts.onRaw?.(data, isBinary);
      if (obs.messages.length >= opts.maxMessages) {
        obs.dropped++;
        if (obs.dropped === 1) finish('limit');
        return;
      }
      const m = describe(data, isBinary, performance.now() - sentAt);
      obs.messages.push(m);
      const type = m.json && typeof m.json === 'object' ? ((m.json as Record<string, unknown>).type ?? (m.json as Record<string, unknown>).event) : undefined;
      if (typeof type === 'string' && DONE_WORDS.test(type)) {
        obs.endedBy = 'done';
        if (settle) clearTimeout(settle);
        settle = setTimeout(() => finish('done'), opts.settleMs ?? 300);
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      obs.closed = { code, reason: reason.toString() };
      finish('closed');
    });
    if (request !== undefined) ws.send(request);
  });
}

function describe(data: Buffer, isBinary: boolean, t: number): Observed {
  const m: Observed = { t: Math.round(t * 10) / 10, binary: isBinary, bytes: data.length };
  if (isBinary) {
    m.framebenchHeader = isFrame(data);
    m.image = sniffImage(data, m.framebenchHeader ? 32 : 0);
    return m;
  }
  const text = data.toString();
  m.text = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  try {
    const json: unknown = JSON.parse(text);
    const images: NonNullable<Observed['base64Images']> = [];
    m.json = shrink(json, '', images, 0);
    if (images.length) m.base64Images = images;
  } catch {
    /* not JSON: kept as text */
  }
  return m;
}

/** Copies a JSON value with long strings cut short, noting the ones that hold a base64 image. */
function shrink(v: unknown, path: string, images: NonNullable<Observed['base64Images']>, depth: number): unknown {
  if (typeof v === 'string') {
    if (v.length < 64) return v;
    if (/^[A-Za-z0-9+/=\s]+$/.test(v.slice(0, 512))) {
      const head = Buffer.from(v.slice(0, 8192), 'base64');
      const image = sniffImage(head);
      if (image.format !== 'unknown') images.push({ path, image, bytes: Math.floor((v.length * 3) / 4) });
    }
    return `${v.slice(0, 24)}…(${v.length} chars)`;
  }
  if (depth >= MAX_DEPTH || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 8).map((x, i) => shrink(x, `${path}.${i}`, images, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v).slice(0, 40)) out[k] = shrink(x, path ? `${path}.${k}` : k, images, depth + 1);
  return out;
}
