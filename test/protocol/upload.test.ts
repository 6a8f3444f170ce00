// protocol.upload compiled: frame templates (placeholders, seconds or ms), binary header layouts,
// the reader of a server's messages, and the older ingest.wire block read as the same thing.
import { describe, expect, it } from 'vitest';
import { JsonFrameTemplate, BinaryFrameTemplate, parseUploadFrame } from '../../src/ingest/wire.js';
import { endMessage, frameTemplateProblem, UploadReader, uploadFromWire } from '../../src/protocol/adapters/upload.js';
import { REFERENCE_UPLOAD, uploadSchema } from '../../src/protocol/adapters/upload-schema.js';

describe('protocol.upload', () => {
  it('a JSON frame template fills seq and capture time (seconds) in place, around the data URL', () => {
    const t = new JsonFrameTemplate('QUJD', 'jpeg', 640, 360, { kind: 'image', meta: { id: '${seq}', ts: '${capturedAtSec}' }, size: ['${width}', '${height}'], image: 'data:image/${format};base64,${data}' });
    const msg = JSON.parse(t.fill(42, 1_764_633_600_123.5).toString('utf8'));
    expect(msg).toEqual({ kind: 'image', meta: { id: 42, ts: 1_764_633_600.1235 }, size: [640, 360], image: 'data:image/jpeg;base64,QUJD' });
    expect(JSON.parse(t.fill(7, 1000).toString('utf8')).meta).toEqual({ id: 7, ts: 1 });
  });

  it('the default template is the reference wire format the reference server parses', () => {
    const t = new JsonFrameTemplate('QUJD', 'jpeg', 640, 360);
    expect(parseUploadFrame(t.fill(3, 1234.5), false)).toMatchObject({ seq: 3, capturedAtMs: 1234.5, base64: 'QUJD', format: 'jpeg' });
    expect(endMessage(REFERENCE_UPLOAD)).toBe('{"type":"end"}');
  });

  it('a binary layout writes its constant bytes, seq and capture time where it says', () => {
    const layout = uploadSchema.parse({ frame: { binary: { headerBytes: 12, seq: { offset: 0, type: 'u32le' }, capturedAt: { offset: 4, type: 'u64be', unit: 'us' }, fixed: [] } } }).frame.binary;
    const t = new BinaryFrameTemplate(Buffer.from([0xff, 0xd8]), layout);
    const b = t.fill(258, 1500.25);
    expect(b.length).toBe(14);
    expect(b.readUInt32LE(0)).toBe(258);
    expect(b.readUInt32BE(4) * 2 ** 32 + b.readUInt32BE(8)).toBe(1_500_250);
    expect([...b.subarray(12)]).toEqual([0xff, 0xd8]);
    const ref = new BinaryFrameTemplate(Buffer.from([0xff, 0xd8]));
    expect(parseUploadFrame(ref.fill(9, 77), true)).toMatchObject({ seq: 9, capturedAtMs: 77, imageBytes: 2 });
  });

  it('reads a server of its own shape: answers, limits, drops, errors with ids, done, ignored pings', () => {
    const r = new UploadReader(
      uploadSchema.parse({
        answer: { match: { event: 'caption' }, ids: 'result.frames', text: 'caption' },
        limit: { match: { event: 'slow_down' }, id: 'frame_id' },
        dropped: { match: { event: 'discarded' }, ids: 'frame_ids', reason: 'why' },
        error: { match: { event: 'error' }, code: 'code', message: 'msg', id: 'frame' },
        done: { match: { event: 'finished' } },
        ignore: [{ event: 'ping' }],
        ack: 'none',
      }),
    );
    expect(r.read('{"event":"caption","result":{"frames":[1,"2",3]},"caption":"x"}')).toEqual({ kind: 'answer', ids: [1, 2, 3], text: 'x', contextChars: undefined, modelMs: undefined });
    expect(r.read('{"event":"slow_down","frame_id":4}')).toMatchObject({ kind: 'limit', id: 4 });
    expect(r.read('{"event":"discarded","frame_ids":5,"why":"buffer_full"}')).toEqual({ kind: 'dropped', ids: [5], reason: 'buffer_full' });
    expect(r.read('{"event":"error","code":"too_big","msg":"no","frame":6}')).toEqual({ kind: 'error', code: 'too_big', message: 'no', id: 6 });
    expect(r.read('{"event":"finished"}')).toEqual({ kind: 'done' });
    expect(r.read('{"event":"ping"}')).toEqual({ kind: 'ignore' });
    expect(r.read('{"type":"ack","seq":1}')).toBeUndefined();
    expect(r.read('not json')).toBeUndefined();
  });

  it('ingest.wire reads as the same protocol.upload', () => {
    const u = uploadFromWire({
      typeField: 'kind',
      frameType: 'image',
      seqField: 'frame_id',
      capturedAtField: 'ts',
      dataField: 'image',
      dataPrefix: 'data:image/jpeg;base64,',
      extra: { camera: 'lobby' },
      end: null,
      answerType: 'result',
      answerSeqsField: 'frame_ids',
    });
    expect(uploadSchema.parse(u)).toEqual(u);
    const t = new JsonFrameTemplate('QUJD', 'jpeg', 1, 1, u.frame.template);
    expect(JSON.parse(t.fill(1, 5).toString('utf8'))).toEqual({ kind: 'image', frame_id: 1, ts: 5, camera: 'lobby', image: 'data:image/jpeg;base64,QUJD' });
    expect(endMessage(u)).toBeNull();
    expect(new UploadReader(u).read('{"kind":"result","frame_ids":[1]}')).toMatchObject({ kind: 'answer', ids: [1] });
  });

  it('names what is wrong with a template', () => {
    expect(frameTemplateProblem({ data: '${data}' })).toMatch(/\$\{seq\}/);
    expect(frameTemplateProblem({ id: '${seq}', data: '${data}x' })).toMatch(/end of a string/);
    expect(frameTemplateProblem({ id: '${seq}', data: '${data}', cam: '${camera}' })).toMatch(/unknown placeholder \$\{camera\}/);
  });
});
