// The upload direction of a declarative adapter, compiled: the frame message's JSON text split
// around the image data (with fixed-width slots for seq and capture time, so one template buffer
// serves every send), the binary header writer, the end message, and a reader that tells what a
// server message is (answer, ack, dropped, error, limit, done, ignore). Also converts the older
// `ingest.wire` block into this form.
import type { BinaryType } from './schema-parts.js';
import { jsonMatcher, jsonPath, jsonSeq, type JsonGetter, type Matcher } from './fields.js';
import { REFERENCE_UPLOAD, type UploadProtocolConfig } from './upload-schema.js';

export type UploadServerMessage =
  | { kind: 'answer'; ids: number[]; text?: string; contextChars?: number; modelMs?: number }
  | { kind: 'ack'; id: number }
  | { kind: 'dropped'; ids: number[]; reason: string }
  | { kind: 'error'; code: string; message: string; id?: number }
  | { kind: 'limit'; id?: number; message?: string }
  | { kind: 'done' }
  | { kind: 'ignore' };

export { frameJsonParts, frameTemplateProblem, type FrameJsonParts } from './upload-template.js';

/** Writes a number at an offset (u64 as two u32 halves). */
function writeNumber(buf: Buffer, type: BinaryType, offset: number, v: number): void {
  switch (type) {
    case 'u8':
      return void buf.writeUInt8(v & 0xff, offset);
    case 'u16be':
      return void buf.writeUInt16BE(v & 0xffff, offset);
    case 'u16le':
      return void buf.writeUInt16LE(v & 0xffff, offset);
    case 'u32be':
      return void buf.writeUInt32BE(v >>> 0, offset);
    case 'u32le':
      return void buf.writeUInt32LE(v >>> 0, offset);
    case 'u64be':
      buf.writeUInt32BE(Math.floor(v / 4294967296) >>> 0, offset);
      return void buf.writeUInt32BE(v >>> 0, offset + 4);
    case 'u64le':
      buf.writeUInt32LE(v >>> 0, offset);
      return void buf.writeUInt32LE(Math.floor(v / 4294967296) >>> 0, offset + 4);
    case 'f32be':
      return void buf.writeFloatBE(v, offset);
    case 'f32le':
      return void buf.writeFloatLE(v, offset);
    case 'f64be':
      return void buf.writeDoubleBE(v, offset);
    case 'f64le':
      return void buf.writeDoubleLE(v, offset);
  }
}

const FROM_MS = { s: 1e-3, ms: 1, us: 1e3, ns: 1e6 } as const;

export interface BinaryHeader {
  bytes: number;
  /** Writes the constant bytes once. */
  init(buf: Buffer): void;
  fill(buf: Buffer, seq: number, capturedAtMs: number): void;
}

export function binaryHeader(layout: UploadProtocolConfig['frame']['binary']): BinaryHeader {
  const { seq, capturedAt } = layout;
  return {
    bytes: layout.headerBytes,
    init: (buf) => {
      buf.fill(0, 0, layout.headerBytes);
      for (const f of layout.fixed) writeNumber(buf, f.type, f.offset, f.value);
    },
    fill: (buf, n, ms) => {
      if (seq) writeNumber(buf, seq.type, seq.offset, n);
      if (capturedAt) writeNumber(buf, capturedAt.type, capturedAt.offset, Math.round(ms * FROM_MS[capturedAt.unit] * 1000) / 1000);
    },
  };
}

export function endMessage(cfg: UploadProtocolConfig): string | null {
  return cfg.end === 'none' ? null : JSON.stringify(cfg.end.template);
}

const idList = (v: unknown): number[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(jsonSeq).filter((n) => n >= 0);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : JSON.stringify(v));

type Rule = { match: Matcher; read: (msg: unknown) => UploadServerMessage };
const get = (p: string | undefined): JsonGetter => (p ? jsonPath(p) : () => undefined);

/** Reads a server's messages through the block; undefined for a message nothing matches. */
export class UploadReader {
  private readonly rules: Rule[] = [];

  constructor(cfg: UploadProtocolConfig = REFERENCE_UPLOAD) {
    const a = cfg.answer;
    const [ids, text, ctx, model] = [get(a.ids), get(a.text), get(a.contextChars), get(a.modelMs)];
    this.rules.push({ match: jsonMatcher(a.match), read: (m) => ({ kind: 'answer', ids: idList(ids(m)), text: str(text(m)), contextChars: num(ctx(m)), modelMs: num(model(m)) }) });
    if (cfg.ack !== 'none') {
      const id = get(cfg.ack.id);
      this.rules.push({ match: jsonMatcher(cfg.ack.match), read: (m) => ({ kind: 'ack', id: jsonSeq(id(m)) }) });
    }
    if (cfg.dropped !== 'none') {
      const [ids2, reason] = [get(cfg.dropped.ids), get(cfg.dropped.reason)];
      this.rules.push({ match: jsonMatcher(cfg.dropped.match), read: (m) => ({ kind: 'dropped', ids: idList(ids2(m)), reason: str(reason(m)) ?? 'dropped' }) });
    }
    if (cfg.error !== 'none') {
      const [code, message, id] = [get(cfg.error.code), get(cfg.error.message), get(cfg.error.id)];
      this.rules.push({ match: jsonMatcher(cfg.error.match), read: (m) => ({ kind: 'error', code: str(code(m)) ?? 'error', message: str(message(m)) ?? '', ...(id(m) !== undefined && jsonSeq(id(m)) >= 0 ? { id: jsonSeq(id(m)) } : {}) }) });
    }
    if (cfg.limit !== 'none') {
      const [id, message] = [get(cfg.limit.id), get(cfg.limit.message)];
      this.rules.push({ match: jsonMatcher(cfg.limit.match), read: (m) => ({ kind: 'limit', ...(jsonSeq(id(m)) >= 0 ? { id: jsonSeq(id(m)) } : {}), message: str(message(m)) }) });
    }
    if (cfg.done !== 'none') this.rules.push({ match: jsonMatcher(cfg.done.match), read: () => ({ kind: 'done' }) });
    for (const m of cfg.ignore) this.rules.push({ match: jsonMatcher(m), read: () => ({ kind: 'ignore' }) });
  }

  read(text: string): UploadServerMessage | undefined {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
    for (const r of this.rules) if (r.match(msg)) return r.read(msg);
    return undefined;
  }
}

/** The older `ingest.wire` field names, kept as an alias: the same server described as `protocol.upload`. */
export interface LegacyWire {
  typeField?: string;
  frameType?: string;
  seqField?: string;
  capturedAtField?: string;
  dataField?: string;
  dataPrefix?: string;
  extra?: Record<string, string | number | boolean>;
  end?: string | null;
  answerType?: string;
  answerSeqsField?: string;
}

export function uploadFromWire(w: LegacyWire): UploadProtocolConfig {
  const type = w.typeField ?? 'type';
  const template: Record<string, unknown> = {
    [type]: w.frameType ?? 'frame',
    [w.seqField ?? 'seq']: '${seq}',
    [w.capturedAtField ?? 'capturedAt']: '${capturedAt}',
    ...(w.extra ?? {}),
    [w.dataField ?? 'data']: `${w.dataPrefix ?? ''}\${data}`,
  };
  let end: UploadProtocolConfig['end'] = REFERENCE_UPLOAD.end;
  if (w.end === null) end = 'none';
  else if (typeof w.end === 'string') end = { template: JSON.parse(w.end) as Record<string, unknown> };
  const byType = (t: string) => ({ [type]: t });
  return {
    ...REFERENCE_UPLOAD,
    frame: { ...REFERENCE_UPLOAD.frame, template },
    end,
    answer: { ...REFERENCE_UPLOAD.answer, match: byType(w.answerType ?? 'answer'), ids: w.answerSeqsField ?? 'seqs' },
    ack: { match: byType('ack'), id: 'seq' },
    dropped: { match: byType('dropped'), ids: 'seqs', reason: 'reason' },
    error: { match: byType('error'), code: 'code', message: 'message', id: 'seq' },
    done: { match: byType('done') },
  };
}
