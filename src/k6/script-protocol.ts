// The protocol half of an exported script's runtime, as JavaScript text: framebench's reference
// protocol (32-byte binary header, generate / cancel / done / error / clock) and an interpreter of
// a scenario's declarative `protocol:` block (request template, frame / done / error / ignore
// matchers, binary header fields, end rules, cancel), so one client loop asks either "what is
// this message?". No template literals: this text sits in one.

export function protocolSource(): string {
  return `
/**
 * What one message is.
 * @typedef {{ kind: string, seq: number, timeUs: number, requestId: (string | number | undefined), frames: (number | undefined), code: string, t0: number, t1: number }} Classified
 */
/**
 * The values a request or cancel template can use.
 * @typedef {{ requestNo: number, requestId: (string | number), session: string, clientId: number, fps: number, frames: number, format: string, resolution: string, width: number, height: number, quality: number, transport: string, prompt: string, uuid: string }} RequestContext
 */
/**
 * @typedef {{ reference: boolean, byId: boolean, endOnFrames: boolean, idleEndMs: number, closesOnCancel: boolean, sendsRequest: boolean,
 *   headers: Record<string, string>, query: Record<string, string | number>, prompts: string[],
 *   wireId: (requestNo: number, session: string) => (string | number),
 *   request: (ctx: RequestContext) => (string | undefined), cancel: (ctx: RequestContext) => (string | undefined),
 *   classify: (data: string | ArrayBuffer) => Classified }} Protocol
 */

/** @param {string} kind @returns {Classified} */
function classified(kind) {
  return { kind: kind, seq: -1, timeUs: NaN, requestId: undefined, frames: undefined, code: '', t0: 0, t1: 0 };
}

/** @param {unknown} v @returns {string | number | undefined} */
function idOf(v) {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** A server's error code as an error kind: short, lower case, [a-z0-9_]. @param {unknown} code */
function errorKind(code) {
  const k = String(code === undefined || code === null ? '' : code).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return 'server_' + (k || 'error');
}

/** @returns {Protocol} */
function referenceProtocol() {
  return {
    reference: true,
    byId: true,
    endOnFrames: false,
    idleEndMs: 0,
    closesOnCancel: false,
    sendsRequest: true,
    headers: {},
    query: {},
    prompts: [''],
    wireId: (requestNo) => requestNo,
    request: (c) => JSON.stringify({ type: 'generate', requestId: c.requestId, format: c.format, resolution: c.resolution, quality: c.quality, fps: c.fps, frames: c.frames, transport: c.transport }),
    cancel: (c) => JSON.stringify({ type: 'cancel', requestId: c.requestId }),
    classify: (data) => {
      if (typeof data !== 'string') {
        if (!(data instanceof ArrayBuffer) || data.byteLength < HEADER_BYTES) return Object.assign(classified('unrecognized'), { code: 'bad_frame' });
        const view = new DataView(data);
        if (view.getUint16(0) !== HEADER_MAGIC || view.getUint8(2) !== HEADER_VERSION) return Object.assign(classified('unrecognized'), { code: 'bad_frame' });
        return Object.assign(classified('frame'), { requestId: view.getUint32(4), seq: view.getUint32(8), timeUs: view.getFloat64(12) });
      }
      /** @type {any} */
      let msg;
      try {
        msg = JSON.parse(data);
      } catch (err) {
        return Object.assign(classified('unrecognized'), { code: 'bad_json_from_server' });
      }
      if (msg.type === 'frame') return Object.assign(classified('frame'), { requestId: idOf(msg.requestId), seq: Number(msg.seq), timeUs: Number(msg.timeUs) });
      if (msg.type === 'done') return Object.assign(classified('done'), { requestId: idOf(msg.requestId), frames: typeof msg.frames === 'number' ? msg.frames : undefined });
      if (msg.type === 'error') return Object.assign(classified('error'), { requestId: idOf(msg.requestId), code: errorKind(msg.code) });
      if (msg.type === 'clock' && typeof msg.t0 === 'number' && typeof msg.t1 === 'number') return Object.assign(classified('clock'), { t0: msg.t0, t1: msg.t1 });
      return classified('ignore');
    },
  };
}

/** @param {string} path @returns {(msg: unknown) => unknown} */
function jsonPath(path) {
  const parts = path.split('.');
  return (msg) => {
    /** @type {unknown} */
    let v = msg;
    for (const p of parts) {
      if (v === null || typeof v !== 'object') return undefined;
      v = /** @type {Record<string, unknown>} */ (v)[p];
    }
    return v;
  };
}

/** { path: value } matcher; a number and its text match each other. @param {Record<string, unknown>} spec */
function jsonMatcher(spec) {
  const checks = Object.keys(spec).map((path) => ({ get: jsonPath(path), want: spec[path] }));
  /** @param {unknown} msg */
  return (msg) => checks.every((c) => {
    const got = c.get(msg);
    return got === c.want || (typeof got !== typeof c.want && got !== undefined && String(got) === String(c.want));
  });
}

const TO_US = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

/** @param {unknown} unit */
function toUs(unit) {
  return unit === 's' || unit === 'ms' || unit === 'ns' ? TO_US[unit] : 1;
}

/** A number at a byte offset. @param {string} type @param {number} offset @returns {(view: DataView) => number} */
function binaryReader(type, offset) {
  const le = type.slice(-2) === 'le';
  if (type === 'u8') return (v) => v.getUint8(offset);
  if (type.indexOf('u16') === 0) return (v) => v.getUint16(offset, le);
  if (type.indexOf('u32') === 0) return (v) => v.getUint32(offset, le);
  if (type.indexOf('u64') === 0) return le ? (v) => v.getUint32(offset + 4, true) * 4294967296 + v.getUint32(offset, true) : (v) => v.getUint32(offset) * 4294967296 + v.getUint32(offset + 4);
  if (type.indexOf('f32') === 0) return (v) => v.getFloat32(offset, le);
  return (v) => v.getFloat64(offset, le);
}

/** @param {string} type */
function sizeOf(type) {
  return type === 'u8' ? 1 : type.indexOf('16') > 0 ? 2 : type.indexOf('32') > 0 ? 4 : 8;
}

/** @param {unknown} v @param {number} scale */
function jsonTimeUs(v, scale) {
  if (typeof v === 'number') return v * scale;
  if (typeof v === 'string') {
    const n = Number(v);
    if (isFinite(n)) return n * scale;
    const t = Date.parse(v);
    return isNaN(t) ? NaN : t * 1000;
  }
  return NaN;
}

/** @param {unknown} v */
function jsonSeq(v) {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return n >= 0 && Math.floor(n) === n ? n : -1;
}

const PLACEHOLDER = /\\$\\{([A-Za-z]+)\\}/g;
const WHOLE_PLACEHOLDER = /^\\$\\{([A-Za-z]+)\\}$/;

/** @param {unknown} v @param {RequestContext} ctx @returns {unknown} */
function fill(v, ctx) {
  /** @type {Record<string, unknown>} */
  const values = ctx;
  if (typeof v === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(v);
    if (whole) return values[whole[1] || ''];
    return v.replace(PLACEHOLDER, (_m, name) => String(values[name]));
  }
  if (Array.isArray(v)) return v.map((x) => fill(x, ctx));
  if (v && typeof v === 'object') {
    /** @type {Record<string, unknown>} */
    const out = {};
    const obj = /** @type {Record<string, unknown>} */ (v);
    for (const k of Object.keys(obj)) out[String(fill(k, ctx))] = fill(obj[k], ctx);
    return out;
  }
  return v;
}

/** @param {unknown} template @param {RequestContext} ctx */
function render(template, ctx) {
  return typeof template === 'string' ? String(fill(template, ctx)) : JSON.stringify(fill(template, ctx));
}

/** The scenario's declarative protocol block, compiled once. @param {any} spec @returns {Protocol} */
function declarativeProtocol(spec) {
  const b = spec.frames.binary;
  /** @type {null | { seq?: (v: DataView) => number, time?: (v: DataView) => number, scale: number, requestId?: (v: DataView) => number, minBytes: number }} */
  let header = null;
  if (typeof b === 'object') {
    const fields = [b.seq, b.timestamp, b.requestId].filter((f) => f !== undefined);
    header = {
      seq: b.seq && binaryReader(b.seq.type, b.seq.offset),
      time: b.timestamp && binaryReader(b.timestamp.type, b.timestamp.offset),
      scale: b.timestamp ? toUs(b.timestamp.unit) : 1,
      requestId: b.requestId && binaryReader(b.requestId.type, b.requestId.offset),
      minBytes: Math.max.apply(null, [b.payloadOffset || 0].concat(fields.map((f) => f.offset + sizeOf(f.type)))),
    };
  }
  /** @param {any} rule */
  const compile = (rule) => rule && {
    match: jsonMatcher(rule.match),
    seq: rule.seq ? jsonPath(rule.seq) : null,
    requestId: rule.requestId ? jsonPath(rule.requestId) : null,
    time: rule.timestamp ? jsonPath(rule.timestamp.path) : null,
    scale: rule.timestamp ? toUs(rule.timestamp.unit) : 1,
    data: rule.data ? jsonPath(rule.data) : null,
    frames: rule.frames ? jsonPath(rule.frames) : null,
    code: rule.code ? jsonPath(rule.code) : null,
  };
  const json = compile(spec.frames.json);
  const meta = compile(spec.frames.meta);
  const done = compile(spec.done);
  const fail = compile(spec.error);
  const ignore = (spec.ignore || []).map(jsonMatcher);
  /** @type {Classified | null} */
  let pendingMeta = null;
  const stringIds = spec.request !== 'none' && spec.request.requestId === 'string';
  return {
    reference: false,
    byId: spec.correlation === 'requestId',
    endOnFrames: spec.end.frames === undefined ? spec.done === undefined : spec.end.frames,
    idleEndMs: spec.end.idleMs,
    closesOnCancel: spec.cancel === 'close',
    sendsRequest: spec.request !== 'none',
    headers: spec.upgrade.headers || {},
    query: spec.upgrade.query || {},
    prompts: spec.prompts && spec.prompts.length ? spec.prompts : [''],
    wireId: (requestNo, session) => (stringIds ? session + '-' + requestNo : requestNo),
    request: (c) => (spec.request === 'none' ? undefined : render(spec.request.template, c)),
    cancel: (c) => (typeof spec.cancel === 'object' ? render(spec.cancel.template, c) : undefined),
    classify: (data) => {
      if (typeof data !== 'string') {
        if (b === 'ignore') return classified('ignore');
        const out = classified('frame');
        if (header) {
          if (!(data instanceof ArrayBuffer) || data.byteLength < header.minBytes) return Object.assign(classified('unrecognized'), { code: 'unrecognized_message' });
          const view = new DataView(data);
          if (header.seq) out.seq = header.seq(view);
          if (header.time) out.timeUs = header.time(view) * header.scale;
          if (header.requestId) out.requestId = header.requestId(view);
        }
        const m = pendingMeta;
        pendingMeta = null;
        if (m) {
          if (out.seq < 0) out.seq = m.seq;
          if (out.timeUs !== out.timeUs) out.timeUs = m.timeUs;
          if (out.requestId === undefined) out.requestId = m.requestId;
        }
        return out;
      }
      /** @type {unknown} */
      let msg;
      try {
        msg = JSON.parse(data);
      } catch (err) {
        return Object.assign(classified('unrecognized'), { code: 'unrecognized_message' });
      }
      if (fail && fail.match(msg)) return Object.assign(classified('error'), { code: errorKind(fail.code ? fail.code(msg) : 'error'), requestId: fail.requestId ? idOf(fail.requestId(msg)) : undefined });
      if (done && done.match(msg)) {
        const n = done.frames ? done.frames(msg) : undefined;
        return Object.assign(classified('done'), { requestId: done.requestId ? idOf(done.requestId(msg)) : undefined, frames: typeof n === 'number' && n >= 0 && Math.floor(n) === n ? n : undefined });
      }
      if (json && json.match(msg)) {
        const payload = json.data ? json.data(msg) : undefined;
        if (typeof payload !== 'string') return Object.assign(classified('unrecognized'), { code: 'unrecognized_message' });
        return Object.assign(classified('frame'), {
          seq: json.seq ? jsonSeq(json.seq(msg)) : -1,
          timeUs: json.time ? jsonTimeUs(json.time(msg), json.scale) : NaN,
          requestId: json.requestId ? idOf(json.requestId(msg)) : undefined,
        });
      }
      if (meta && meta.match(msg)) {
        pendingMeta = Object.assign(classified('meta'), {
          seq: meta.seq ? jsonSeq(meta.seq(msg)) : -1,
          timeUs: meta.time ? jsonTimeUs(meta.time(msg), meta.scale) : NaN,
          requestId: meta.requestId ? idOf(meta.requestId(msg)) : undefined,
        });
        return classified('ignore');
      }
      for (const ig of ignore) if (ig(msg)) return classified('ignore');
      return Object.assign(classified('unrecognized'), { code: 'unrecognized_message' });
    },
  };
}
`;
}
