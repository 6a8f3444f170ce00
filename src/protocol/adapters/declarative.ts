// The declarative adapter: a `protocol:` block compiled once into matchers and readers. Binary
// messages are never parsed as JSON; text messages are parsed once and checked against the error,
// done, frame, meta and ignore rules in that order.
import { parseDuration } from '../../text/duration.js';
import { base64Bytes, binaryReader, jsonId, jsonMatcher, jsonPath, jsonSeq, jsonTimeUs, toMicros, type JsonGetter, type Matcher } from './fields.js';
import { httpProtocolOf, streamsOf, type HttpProtocol } from './http-protocol.js';
import type { DeclarativeProtocol, TimeUnit } from './schema.js';
import { renderTemplate } from './template.js';
import { CLOSE_SOCKET, type Classified, type ProtocolAdapter, type RequestContext, type UpgradeOptions, wireText } from './types.js';

interface JsonFrameRule {
  match: Matcher;
  data: JsonGetter;
  encoding: 'base64' | 'text';
  seq?: JsonGetter;
  requestId?: JsonGetter;
  time?: { get: JsonGetter; unit: TimeUnit };
}

type BinaryRule = 'frame' | 'ignore' | { seq?: (b: Buffer) => number; time?: (b: Buffer) => number; requestId?: (b: Buffer) => number; payloadOffset: number; minBytes: number };

const optGet = (path: string | undefined): JsonGetter | undefined => (path === undefined ? undefined : jsonPath(path));
const optTime = (t: { path: string; unit: TimeUnit } | undefined): JsonFrameRule['time'] => (t ? { get: jsonPath(t.path), unit: t.unit } : undefined);

export class DeclarativeAdapter implements ProtocolAdapter {
  readonly name = 'declarative';
  readonly reference = false;
  readonly upgrade: UpgradeOptions;
  readonly endOnFrames: boolean;
  readonly idleEndUs: number;
  readonly correlateById: boolean;
  readonly streams: number;
  readonly validateEvery: number;
  readonly doneAfterCancel: boolean;
  readonly prompts: readonly string[];
  readonly http: HttpProtocol | undefined;
  /** frames.json is described (SSE data is text). */
  readonly jsonFrames: boolean;
  private readonly binary: BinaryRule;
  private readonly jsonFrame?: JsonFrameRule;
  private readonly meta?: { match: Matcher; seq?: JsonGetter; requestId?: JsonGetter; time?: JsonFrameRule['time'] };
  private readonly done?: { match: Matcher; requestId?: JsonGetter; frames?: JsonGetter };
  private readonly error?: { match: Matcher; code: JsonGetter; message: JsonGetter; requestId?: JsonGetter };
  private readonly ignore: Matcher[];
  private readonly stringIds: boolean;

  constructor(private readonly spec: DeclarativeProtocol) {
    this.upgrade = spec.upgrade;
    this.endOnFrames = spec.end.frames ?? (spec.done === undefined && spec.sse?.done === undefined);
    this.http = httpProtocolOf(spec);
    this.jsonFrames = spec.frames.json !== undefined;
    this.idleEndUs = (parseDuration(spec.end.idle) ?? 0) * 1000;
    this.streams = streamsOf(spec);
    this.correlateById = spec.correlation !== 'single';
    this.validateEvery = spec.validate;
    this.doneAfterCancel = spec.done !== undefined;
    this.prompts = spec.prompts;
    this.stringIds = spec.request !== 'none' && spec.request.requestId === 'string';
    const b = spec.frames.binary;
    if (typeof b === 'string') this.binary = b;
    else {
      const ends = [b.seq, b.timestamp, b.requestId].filter((f) => f !== undefined).map((f) => f.offset + sizeOf(f.type));
      this.binary = {
        seq: b.seq && binaryReader(b.seq.type, b.seq.offset),
        time: b.timestamp && timeReader(b.timestamp.type, b.timestamp.offset, b.timestamp.unit),
        requestId: b.requestId && binaryReader(b.requestId.type, b.requestId.offset),
        payloadOffset: b.payloadOffset,
        minBytes: Math.max(b.payloadOffset, ...ends),
      };
    }
    const j = spec.frames.json;
    if (j) this.jsonFrame = { match: jsonMatcher(j.match), data: jsonPath(j.data), encoding: j.encoding, seq: optGet(j.seq), requestId: optGet(j.requestId), time: optTime(j.timestamp) };
    const m = spec.frames.meta;
    if (m) this.meta = { match: jsonMatcher(m.match), seq: optGet(m.seq), requestId: optGet(m.requestId), time: optTime(m.timestamp) };
    if (spec.done) this.done = { match: jsonMatcher(spec.done.match), requestId: optGet(spec.done.requestId), frames: optGet(spec.done.frames) };
    if (spec.error) this.error = { match: jsonMatcher(spec.error.match), code: jsonPath(spec.error.code), message: jsonPath(spec.error.message), requestId: optGet(spec.error.requestId) };
    this.ignore = spec.ignore.map(jsonMatcher);
  }

  wireId(requestNo: number, session: string): string | number {
    return this.stringIds ? `${session}-${requestNo}` : requestNo;
  }

  request(ctx: RequestContext): string | undefined {
    const r = this.spec.request;
    return r === 'none' ? undefined : renderTemplate(r.template, ctx);
  }

  cancel(ctx: RequestContext): string | typeof CLOSE_SOCKET | undefined {
    const c = this.spec.cancel;
    if (c === 'none') return undefined;
    if (c === 'close') return CLOSE_SOCKET;
    return renderTemplate(c.template, ctx);
  }

  classify(data: Buffer, isBinary: boolean, out: Classified): void {
    if (isBinary) return this.classifyBinary(data, out);
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      out.clear('unrecognized');
      out.code = 'unrecognized_message';
      out.message = 'text message is not JSON';
      return;
    }
    const e = this.error;
    if (e?.match(msg)) {
      out.clear('error');
      out.requestId = e.requestId && jsonId(e.requestId(msg));
      out.code = wireText(e.code(msg), 'error');
      out.message = wireText(e.message(msg), '');
      return;
    }
    const d = this.done;
    if (d?.match(msg)) {
      out.clear('done');
      out.requestId = d.requestId && jsonId(d.requestId(msg));
      const n = d.frames?.(msg);
      out.frames = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
      return;
    }
    const f = this.jsonFrame;
    if (f?.match(msg)) {
      const payload = f.data(msg);
      if (typeof payload !== 'string') {
        out.clear('unrecognized');
        out.code = 'unrecognized_message';
        out.message = 'frame message without a payload';
        return;
      }
      out.clear('frame');
      out.seq = f.seq ? jsonSeq(f.seq(msg)) : -1;
      out.timeUs = f.time ? jsonTimeUs(f.time.get(msg), f.time.unit) : Number.NaN;
      out.requestId = f.requestId && jsonId(f.requestId(msg));
      out.payloadText = payload;
      out.payloadEncoding = f.encoding;
      out.payloadBytes = f.encoding === 'base64' ? base64Bytes(payload) : Buffer.byteLength(payload);
      return;
    }
    const m = this.meta;
    if (m?.match(msg)) {
      out.clear('ignore');
      out.pendingMeta = true;
      out.metaSeq = m.seq ? jsonSeq(m.seq(msg)) : -1;
      out.metaTimeUs = m.time ? jsonTimeUs(m.time.get(msg), m.time.unit) : Number.NaN;
      out.metaRequestId = m.requestId && jsonId(m.requestId(msg));
      return;
    }
    for (const ig of this.ignore) {
      if (ig(msg)) {
        out.clear('ignore');
        return;
      }
    }
    out.clear('unrecognized');
    out.code = 'unrecognized_message';
    out.message = 'text message matches no rule of the protocol';
  }

  private classifyBinary(data: Buffer, out: Classified): void {
    const b = this.binary;
    if (b === 'ignore') {
      out.kind = 'ignore';
      return;
    }
    out.kind = 'frame';
    out.payloadText = undefined;
    out.frames = undefined;
    if (b === 'frame') {
      out.seq = -1;
      out.timeUs = Number.NaN;
      out.requestId = undefined;
      out.payloadOffset = 0;
      out.payloadBytes = data.length;
    } else {
      if (data.length < b.minBytes) {
        out.kind = 'unrecognized';
        out.code = 'unrecognized_message';
        out.message = `binary message of ${data.length} bytes is shorter than its header (${b.minBytes} bytes)`;
        return;
      }
      out.seq = b.seq ? b.seq(data) : -1;
      out.timeUs = b.time ? b.time(data) : Number.NaN;
      out.requestId = b.requestId ? b.requestId(data) : undefined;
      out.payloadOffset = b.payloadOffset;
      out.payloadBytes = data.length - b.payloadOffset;
    }
    if (out.pendingMeta) {
      out.pendingMeta = false;
      if (out.seq < 0) out.seq = out.metaSeq;
      if (out.timeUs !== out.timeUs) out.timeUs = out.metaTimeUs;
      if (out.requestId === undefined) out.requestId = out.metaRequestId;
    }
  }
}

function sizeOf(type: string): number {
  return type === 'u8' ? 1 : type.startsWith('u16') ? 2 : type.startsWith('u32') || type.startsWith('f32') ? 4 : 8;
}

function timeReader(type: Parameters<typeof binaryReader>[0], offset: number, unit: TimeUnit): (b: Buffer) => number {
  const read = binaryReader(type, offset);
  return (b) => toMicros(read(b), unit);
}
