// Protocol adapters without sockets: the reference adapter, the declarative rules (binary header
// fields, JSON frames, meta then binary, done / error / ignore), templates, schema errors that name
// the field, the module escape hatch, and the image header sniffing of the validity check.
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/protocol/adapters/index.js';
import { Classified, CLOSE_SOCKET, type RequestContext } from '../../src/protocol/adapters/types.js';
import { renderTemplate } from '../../src/protocol/adapters/template.js';
import { encodeHeader, FORMAT_CODES } from '../../src/protocol/header.js';
import { sniffImage } from '../../src/protocol/image-sniff.js';
import { ROOT, scenario } from '../helpers.js';

const ctx: RequestContext = { requestNo: 3, requestId: 's-3', session: 's', clientId: 7, fps: 30, frames: 20, format: 'webp', resolution: '480p', width: 854, height: 480, quality: 75, transport: 'binary', prompt: 'a fox', uuid: 'u' };
const text = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
const protocolOf = (p: unknown) => scenario({ protocol: p }).scenario.protocol;

describe('reference adapter', () => {
  it('reads the binary header in place and the JSON control messages', async () => {
    const a = await createAdapter('reference');
    const m = new Classified();
    const frame = Buffer.concat([encodeHeader({ format: FORMAT_CODES.webp, requestId: 9, seq: 4, timeUs: 1.5e15, width: 854, height: 480, payloadBytes: 10 }), Buffer.alloc(10)]);
    a.classify(frame, true, m);
    expect(m).toMatchObject({ kind: 'frame', requestId: 9, seq: 4, timeUs: 1.5e15, payloadOffset: 32, payloadBytes: 10 });
    a.classify(Buffer.from('not a frame'), true, m);
    expect(m).toMatchObject({ kind: 'unrecognized', code: 'bad_frame' });
    a.classify(text({ type: 'done', requestId: 9, frames: 30 }), false, m);
    expect(m).toMatchObject({ kind: 'done', requestId: 9, frames: 30 });
    a.classify(text({ type: 'error', code: 'duplicate_request', message: 'x', requestId: 9 }), false, m);
    expect(m).toMatchObject({ kind: 'error', code: 'duplicate_request' });
    expect(JSON.parse(a.request({ ...ctx, requestId: 3 }) as string)).toMatchObject({ type: 'generate', requestId: 3, frames: 20, fps: 30 });
    expect(a.reference).toBe(true);
  });
});

describe('declarative adapter', () => {
  it('binary frames with an embedded seq and timestamp (f64be µs, u64le ms) and a payload offset', async () => {
    const a = await createAdapter(protocolOf({ frames: { binary: { seq: { offset: 0, type: 'u32be' }, timestamp: { offset: 4, type: 'f64be', unit: 'us' }, payloadOffset: 12 } } }));
    const buf = Buffer.alloc(40);
    buf.writeUInt32BE(17, 0);
    buf.writeDoubleBE(1.7e15, 4);
    const m = new Classified();
    a.classify(buf, true, m);
    expect(m).toMatchObject({ kind: 'frame', seq: 17, timeUs: 1.7e15, payloadOffset: 12, payloadBytes: 28 });
    a.classify(Buffer.alloc(5), true, m);
    expect(m).toMatchObject({ kind: 'unrecognized', code: 'unrecognized_message' });
    const b = await createAdapter(protocolOf({ frames: { binary: { timestamp: { offset: 0, type: 'u64le', unit: 'ms' } } } }));
    const t = Buffer.alloc(16);
    t.writeBigUInt64LE(1_764_000_000_123n, 0);
    b.classify(t, true, m);
    expect(m.timeUs).toBe(1_764_000_000_123_000);
  });

  it('plain binary frames, done with its id field, errors with nested code, heartbeats ignored, the rest unrecognized', async () => {
    const a = await createAdapter(protocolOf({ done: { match: { type: 'done' }, requestId: 'request_id' }, error: { match: { type: 'error' }, code: 'error.code', message: 'error.message' }, ignore: [{ type: 'heartbeat' }] }));
    const m = new Classified();
    a.classify(Buffer.alloc(100), true, m);
    expect(m).toMatchObject({ kind: 'frame', seq: -1, payloadBytes: 100 });
    expect(Number.isNaN(m.timeUs)).toBe(true);
    a.classify(text({ type: 'done', request_id: 'abc' }), false, m);
    expect(m).toMatchObject({ kind: 'done', requestId: 'abc' });
    a.classify(text({ type: 'error', error: { code: 'rate_limited', message: 'slow down' } }), false, m);
    expect(m).toMatchObject({ kind: 'error', code: 'rate_limited', message: 'slow down' });
    a.classify(text({ type: 'heartbeat' }), false, m);
    expect(m.kind).toBe('ignore');
    a.classify(text({ type: 'progress' }), false, m);
    expect(m).toMatchObject({ kind: 'unrecognized', code: 'unrecognized_message' });
    a.classify(Buffer.from('plain text'), false, m);
    expect(m).toMatchObject({ kind: 'unrecognized', code: 'unrecognized_message' });
    expect(a.endOnFrames).toBe(false);
  });

  it('base64 JSON frames and meta-then-binary carry seq, timestamp and request id', async () => {
    const a = await createAdapter(
      protocolOf({
        frames: {
          binary: 'frame',
          json: { match: { type: 'frame' }, data: 'payload.b64', seq: 'index', requestId: 'rid', timestamp: { path: 'ts', unit: 's' } },
          meta: { match: { type: 'meta' }, seq: 'n', timestamp: { path: 't', unit: 'ms' } },
        },
        correlation: 'requestId',
      }),
    );
    const m = new Classified();
    a.classify(text({ type: 'frame', index: 2, rid: 'x', ts: 1764000000.5, payload: { b64: Buffer.alloc(30).toString('base64') } }), false, m);
    expect(m).toMatchObject({ kind: 'frame', seq: 2, requestId: 'x', timeUs: 1764000000.5e6, payloadBytes: 30 });
    a.classify(text({ type: 'meta', n: 5, t: 1764000000123 }), false, m);
    expect(m.kind).toBe('ignore');
    a.classify(Buffer.alloc(64), true, m);
    expect(m).toMatchObject({ kind: 'frame', seq: 5, timeUs: 1764000000123000 });
    a.classify(Buffer.alloc(64), true, m);
    expect(m.seq).toBe(-1);
    expect(a.correlateById).toBe(true);
  });

  it('templates keep a whole placeholder typed; string ids; cancel close', async () => {
    expect(renderTemplate({ id: '${requestId}', n: '${frames}', size: '${width}x${height}', p: ['${prompt}'] }, ctx)).toBe('{"id":"s-3","n":20,"size":"854x480","p":["a fox"]}');
    expect(renderTemplate('GEN ${frames} ${prompt}', ctx)).toBe('GEN 20 a fox');
    const a = await createAdapter(protocolOf({ request: { template: { rid: '${requestId}' }, requestId: 'string' }, cancel: 'close' }));
    expect(a.wireId(4, 'sess')).toBe('sess-4');
    expect(a.cancel(ctx)).toBe(CLOSE_SOCKET);
    const none = await createAdapter(protocolOf({ request: 'none' }));
    expect(none.request(ctx)).toBeUndefined();
  });

  it('several streams per connection need an id on every frame, done and error; binary frames without one are rejected', async () => {
    const req = { template: { type: 'generate', request_id: '${requestId}' }, requestId: 'string' };
    const done = { match: { type: 'done' }, requestId: 'request_id' };
    expect(() => protocolOf({ request: req, done, correlation: { streams: 4 } })).toThrow(/protocol\.frames\.binary: correlation\.streams: 4 needs frames that carry a request id: binary frames without one/);
    expect(() => protocolOf({ request: req, done, frames: { binary: { seq: { offset: 0, type: 'u32be' }, payloadOffset: 4 } }, correlation: { streams: 2 } })).toThrow(/protocol\.frames\.binary\.requestId/);
    expect(() => protocolOf({ request: req, done, frames: { binary: 'ignore', json: { match: { type: 'frame' } } }, correlation: { streams: 2 } })).toThrow(/protocol\.frames\.json\.requestId/);
    expect(() => protocolOf({ request: req, done: { match: { type: 'done' } }, frames: { meta: { match: { type: 'frame_meta' }, requestId: 'request_id' } }, correlation: { streams: 2 } })).toThrow(/protocol\.done\.requestId/);
    expect(() => protocolOf({ request: 'none', done, frames: { meta: { match: { type: 'frame_meta' }, requestId: 'request_id' } }, correlation: { streams: 2 } })).toThrow(/protocol\.request\.template: .*\$\{requestId\}/);
    expect(() => protocolOf({ correlation: { streams: 0 } })).toThrow(/protocol\.correlation/);
    expect(() => protocolOf({ correlation: { by: 'seq', streams: 2 } })).toThrow(/protocol\.correlation/);
    // an id at an offset, or a meta message with an id, can be correlated
    const bin = await createAdapter(protocolOf({ request: req, done, frames: { binary: { requestId: { offset: 0, type: 'u32be' }, payloadOffset: 4 } }, correlation: { streams: 3 } }));
    expect(bin.streams).toBe(3);
    expect(bin.correlateById).toBe(true);
    const meta = await createAdapter(protocolOf({ request: req, done, frames: { meta: { match: { type: 'frame_meta' }, requestId: 'request_id', seq: 'seq' } }, correlation: { by: 'requestId', streams: 2 } }));
    const m = new Classified();
    meta.classify(text({ type: 'frame_meta', request_id: 's-2', seq: 5 }), false, m);
    meta.classify(Buffer.alloc(10), true, m);
    expect(m).toMatchObject({ kind: 'frame', requestId: 's-2', seq: 5 });
    expect((await createAdapter(protocolOf({}))).streams).toBe(1);
  });

  it('schema errors name the field and what is allowed', () => {
    expect(() => protocolOf({ frames: { binary: { seq: { offset: 0, type: 'u24' } } } })).toThrow(/protocol\.frames\.binary/);
    expect(() => protocolOf({ request: { template: { id: '${reqId}' } } })).toThrow(/protocol\.request\.template: unknown placeholder \$\{reqId\}/);
    expect(() => protocolOf({ done: { match: { type: 'done' }, requestid: 'x' } })).toThrow(/protocol\.done: unknown field "requestid"/);
    expect(() => protocolOf('grpc')).toThrow(/protocol: expected "reference", \{ module/);
    expect(() => protocolOf({ end: { idle: 'soon' } })).toThrow(/protocol\.end\.idle/);
  });
});

describe('module adapter', () => {
  it('loads the shipped example once and copies its verdicts', async () => {
    const a = await createAdapter(scenario({ protocol: { module: './scenarios/protocols/my-protocol.mjs', options: { seqHeader: true } } }, join(ROOT, 'x.yaml')).scenario.protocol);
    const m = new Classified();
    const buf = Buffer.alloc(20);
    buf.writeBigUInt64LE(6n, 0);
    a.classify(buf, true, m);
    expect(m).toMatchObject({ kind: 'frame', seq: 6, payloadOffset: 8, payloadBytes: 12 });
    a.classify(text({ type: 'done', request_id: 'q', frames_sent: 3 }), false, m);
    expect(m).toMatchObject({ kind: 'done', requestId: 'q', frames: 3 });
    a.classify(Buffer.from('{oops'), false, m);
    expect(m).toMatchObject({ kind: 'unrecognized', code: 'protocol_module_threw' });
    expect(JSON.parse(a.request(ctx) as string)).toMatchObject({ type: 'generate', request_id: 's-3', count: 20 });
    await expect(createAdapter({ module: join(ROOT, 'nope.mjs'), options: {} })).rejects.toThrow(/protocol\.module: cannot load/);
  });
});

describe('image header sniffing', () => {
  it('reads format and size of WebP (lossy and lossless), JPEG and PNG without decoding', async () => {
    const base = sharp({ create: { width: 321, height: 123, channels: 3, background: { r: 1, g: 2, b: 3 } } });
    expect(sniffImage(await base.clone().webp({ quality: 70 }).toBuffer())).toEqual({ format: 'webp', width: 321, height: 123 });
    expect(sniffImage(await base.clone().webp({ lossless: true }).toBuffer())).toEqual({ format: 'webp', width: 321, height: 123 });
    expect(sniffImage(await base.clone().jpeg().toBuffer())).toEqual({ format: 'jpeg', width: 321, height: 123 });
    expect(sniffImage(await base.clone().png().toBuffer())).toEqual({ format: 'png', width: 321, height: 123 });
    expect(sniffImage(Buffer.concat([Buffer.alloc(8), await base.clone().jpeg().toBuffer()]), 8).format).toBe('jpeg');
    expect(sniffImage(Buffer.from('hello world')).format).toBe('unknown');
  });
});
