// `protocol.upload`: the upload direction of a declarative adapter — the frame message a camera
// sends (a JSON template with placeholders, or a binary header layout), the end message, and how
// the server's messages read: answers (which field lists the covered frame ids), acks, drops,
// errors, rate-limit notices, done, and messages to ignore. The defaults are the reference
// ingestion server's wire format, so `upload: {}` changes nothing.
import { z } from 'zod';
import { binaryField, binaryTime, matcher, path } from './schema-parts.js';
import { frameTemplateProblem } from './upload-template.js';

/** Placeholders of a frame template; ${data} goes inside a string (a prefix such as data:image/jpeg;base64, may precede it). */
export const UPLOAD_PLACEHOLDERS = ['seq', 'capturedAt', 'capturedAtSec', 'data', 'format', 'width', 'height'] as const;

export const REFERENCE_FRAME_TEMPLATE = { type: 'frame', seq: '${seq}', capturedAt: '${capturedAt}', format: '${format}', width: '${width}', height: '${height}', data: '${data}' };

const jsonObject = z.record(z.string(), z.unknown(), { error: 'expected a JSON object' });

const binaryLayout = z.strictObject({
  /** Bytes before the image. */
  headerBytes: z.number({ error: 'expected a byte count' }).int({ error: 'expected a byte count' }).min(0, { error: 'expected a byte count' }),
  seq: binaryField.optional(),
  capturedAt: binaryTime.optional(),
  /** Constant header bytes (magic, version). */
  fixed: z.array(binaryField.extend({ value: z.number({ error: 'expected a number' }) }), { error: 'expected a list of { offset, type, value }' }).default([]),
});

export const REFERENCE_BINARY_LAYOUT = {
  headerBytes: 16,
  seq: { offset: 4, type: 'u32be' as const },
  capturedAt: { offset: 8, type: 'f64be' as const, unit: 'ms' as const },
  fixed: [
    { offset: 0, type: 'u8' as const, value: 0xfb },
    { offset: 1, type: 'u8' as const, value: 1 },
  ],
};

const ids = (what: string) => path.describe(`field holding ${what}: a list of frame ids or one id`);

export const uploadSchema = z.strictObject({
  frame: z
    .strictObject({
      /** JSON text frames (transport: base64-json): the message with placeholders. */
      template: jsonObject.default(REFERENCE_FRAME_TEMPLATE).superRefine((t, ctx) => {
        const problem = frameTemplateProblem(t);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      /** Binary frames (transport: binary): the header before the image. */
      binary: binaryLayout.default(REFERENCE_BINARY_LAYOUT),
    })
    .default({ template: REFERENCE_FRAME_TEMPLATE, binary: REFERENCE_BINARY_LAYOUT }),
  /** Sent when a camera stops ("none": nothing; the server answers on its own schedule). */
  end: z.union([z.literal('none'), z.strictObject({ template: jsonObject })], { error: 'expected "none" or { template }' }).default({ template: { type: 'end' } }),
  answer: z
    .strictObject({
      match: matcher,
      ids: ids('the frames this answer covers'),
      text: path.optional(),
      contextChars: path.optional(),
      modelMs: path.optional(),
    })
    .default({ match: { type: 'answer' }, ids: 'seqs', text: 'text', contextChars: 'contextChars', modelMs: 'modelMs' }),
  ack: z.union([z.literal('none'), z.strictObject({ match: matcher, id: path })]).default({ match: { type: 'ack' }, id: 'seq' }),
  /** Frames the server says it will never answer. */
  dropped: z.union([z.literal('none'), z.strictObject({ match: matcher, ids: ids('the dropped frames'), reason: path.optional() })]).default({ match: { type: 'dropped' }, ids: 'seqs', reason: 'reason' }),
  /** An error; with `id`, the frame it names is dropped with the error's code as the reason. */
  error: z.union([z.literal('none'), z.strictObject({ match: matcher, code: path.default('code'), message: path.default('message'), id: path.optional() })]).default({ match: { type: 'error' }, code: 'code', message: 'message', id: 'seq' }),
  /** The server telling a camera it sends too fast; counted as rate_limited (and drops the frame it names). */
  limit: z.union([z.literal('none'), z.strictObject({ match: matcher, id: path.optional(), message: path.optional() })]).default('none'),
  /** The server finished a camera's stream (after the end message). */
  done: z.union([z.literal('none'), z.strictObject({ match: matcher })]).default({ match: { type: 'done' } }),
  /** Messages that are neither (heartbeats, status). */
  ignore: z.array(matcher, { error: 'expected a list of matchers, e.g. [{ type: heartbeat }]' }).default([]),
});

export type UploadProtocolConfig = z.output<typeof uploadSchema>;

/** The reference ingestion server's wire format (every default). */
export const REFERENCE_UPLOAD: UploadProtocolConfig = uploadSchema.parse({});
