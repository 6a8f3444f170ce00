// The `protocol:` block of a scenario, in one declarative schema: how framebench talks to a target
// (request template, what a frame / done / error / heartbeat looks like, how a stream ends, how to
// cancel). `reference` is framebench's own protocol; `{ module: ./file.mjs }` loads custom code.
// Every field has a default; nothing here is code, so the same block can be translated to other tools.
import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../../text/duration.js';
import { httpStartSchema, pollSchema, sseSchema } from './http-schema.js';
import { HTTP_PLACEHOLDERS, PLACEHOLDERS, unknownPlaceholders } from './template.js';
import { binaryField, binaryTime, jsonTime, matcher, MAX_STREAMS, path } from './schema-parts.js';
import { uploadSchema } from './upload-schema.js';
import { streamsOf } from './http-protocol.js';

export { BINARY_TYPES, MAX_STREAMS, TIME_UNITS, type BinaryType, type TimeUnit } from './schema-parts.js';

const duration = z.union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` }).refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });

/** Binary messages: every one is a frame ("frame"), none is ("ignore"), or frames with an embedded header. */
const binaryFrames = z.union(
  [
    z.enum(['frame', 'ignore'], { error: 'expected "frame", "ignore" or { seq, timestamp, requestId, payloadOffset }' }),
    z.strictObject({
      seq: binaryField.optional(),
      timestamp: binaryTime.optional(),
      requestId: binaryField.optional(),
      /** Bytes before the image payload (the embedded header's length). */
      payloadOffset: z.number({ error: 'expected a byte count' }).int({ error: 'expected a byte count' }).min(0, { error: 'expected a byte count' }).default(0),
    }),
  ],
  { error: 'expected "frame", "ignore" or { seq, timestamp, requestId, payloadOffset }' },
);

/** Frames inside JSON text messages, e.g. { type: frame, data: <base64> }. */
const jsonFrames = z.strictObject({
  match: matcher,
  data: path.default('data'),
  encoding: z.enum(['base64', 'text'], { error: 'expected base64 or text' }).default('base64'),
  seq: path.optional(),
  requestId: path.optional(),
  timestamp: jsonTime.optional(),
});

/** A JSON message announcing the next binary message as a frame, e.g. { type: frame_meta, seq, ts }. */
const metaFrames = z.strictObject({
  match: matcher,
  seq: path.optional(),
  requestId: path.optional(),
  timestamp: jsonTime.optional(),
});

const doneSchema = z.strictObject({
  match: matcher,
  requestId: path.optional(),
  /** Field with the number of frames the server says it sent. */
  frames: path.optional(),
});

const errorSchema = z.strictObject({
  match: matcher,
  code: path.default('code'),
  message: path.default('message'),
  requestId: path.optional(),
});

const template = z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'expected a JSON object or a text template' });

const requestSchema = z.union(
  [
    z.literal('none'),
    z.strictObject({
      template,
      /** How ${requestId} is rendered: a number (1, 2, …) or a unique string (<session>-<n>). */
      requestId: z.enum(['number', 'string'], { error: 'expected number or string' }).default('number'),
    }),
  ],
  { error: 'expected "none" or { template, requestId }' },
);

const cancelSchema = z.union([z.enum(['close', 'none'], { error: 'expected "close", "none" or { template }' }), z.strictObject({ template })], {
  error: 'expected "close", "none" or { template }',
});

export const declarativeSchema = z.strictObject({
  /** Sent on open and for each new request; "none" when the server streams on connect. */
  request: requestSchema.default({ template: { type: 'generate', requestId: '${requestId}', frames: '${frames}', fps: '${fps}', format: '${format}', resolution: '${resolution}' }, requestId: 'number' }),
  /** Values for ${prompt}, used round robin over clients and requests. */
  prompts: z
    .array(z.string({ error: 'expected text' }), { error: 'expected a list of prompts' })
    .min(1, { error: 'expected at least one prompt' })
    .default(['a red fox running through snow']),
  upgrade: z
    .strictObject({
      headers: z.record(z.string(), z.string({ error: 'expected text' }), { error: 'expected a map of header name to value' }).default({}),
      query: z.record(z.string(), z.union([z.string(), z.number()], { error: 'expected text or a number' }), { error: 'expected a map of parameter to value' }).default({}),
      subprotocols: z.array(z.string({ error: 'expected text' }), { error: 'expected a list of subprotocol names' }).default([]),
    })
    .default({ headers: {}, query: {}, subprotocols: [] }),
  frames: z
    .strictObject({
      binary: binaryFrames.default('frame'),
      json: jsonFrames.optional(),
      meta: metaFrames.optional(),
    })
    .default({ binary: 'frame' }),
  done: doneSchema.optional(),
  error: errorSchema.optional(),
  /** Messages that are neither frames nor control (heartbeats, progress). */
  ignore: z.array(matcher, { error: 'expected a list of matchers, e.g. [{ type: heartbeat }]' }).default([]),
  end: z
    .strictObject({
      /** End a request once the requested number of frames arrived (default: only when there is no done matcher). */
      frames: z.boolean({ error: 'expected true or false' }).optional(),
      /** End a request after this long without a frame; its missing frames are lost. */
      idle: duration.default('5s'),
    })
    .default({ idle: '5s' }),
  /**
   * single: one stream at a time per connection; requestId: frames and done carry the request id;
   * { by: requestId, streams: N }: N streams at once per connection, every message routed by its id.
   */
  correlation: z
    .union(
      [
        z.enum(['single', 'requestId']),
        z.strictObject({
          by: z.literal('requestId', { error: 'expected requestId' }).default('requestId'),
          streams: z
            .number({ error: 'expected a whole number of streams per connection (1–64)' })
            .int({ error: 'expected a whole number of streams per connection (1–64)' })
            .min(1, { error: 'expected a whole number of streams per connection (1–64)' })
            .max(MAX_STREAMS, { error: 'expected a whole number of streams per connection (1–64)' }),
        }),
      ],
      {
        error: 'expected single, requestId or { by: requestId, streams: N }',
      },
    )
    .default('single'),
  cancel: cancelSchema.default('none'),
  /** transport sse / http-poll / http-longpoll: how a stream is started over HTTP (optional). */
  start: httpStartSchema.optional(),
  /** transport sse: the event stream's URL and event names. */
  sse: sseSchema.optional(),
  /** transport http-poll / http-longpoll: the poll URL and what its answers mean. */
  poll: pollSchema.optional(),
  /** The upload direction (direction: upload): what a camera sends, and what the server's answers look like. */
  upload: uploadSchema.optional(),
  /** Check 1 in N frames' image header (format, dimensions); 0 turns the check off. */
  validate: z.number({ error: 'expected a whole number (0 = off)' }).int({ error: 'expected a whole number (0 = off)' }).min(0, { error: 'expected a whole number (0 = off)' }).default(50),
});

const moduleSchema = z.strictObject({
  /** Path of an ES module (relative to the scenario file) exporting createAdapter(). */
  module: z.string({ error: 'expected a path to a .mjs/.js file' }).min(1, { error: 'expected a path to a .mjs/.js file' }),
  /** Passed to createAdapter(options). */
  options: z.record(z.string(), z.unknown()).default({}),
});

export type DeclarativeProtocol = z.output<typeof declarativeSchema>;
export type ModuleProtocol = z.output<typeof moduleSchema>;
export type ProtocolConfig = 'reference' | ModuleProtocol | DeclarativeProtocol;

/**
 * `protocol:` as written: "reference", { module } or a declarative block. Dispatches on the shape so
 * errors name the field inside the chosen form instead of listing every alternative.
 */
export const protocolSchema = z.unknown().transform((value, ctx): ProtocolConfig => {
  if (value === undefined || value === 'reference') return 'reference';
  if (typeof value === 'string' || typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected "reference", { module: ./file.mjs } or a declarative adapter (request, frames, done, error, ignore, end, correlation, cancel)', input: value });
    return z.NEVER;
  }
  const schema = 'module' in value ? moduleSchema : declarativeSchema;
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) {
    const d = parsed.data;
    if ('module' in d) return d;
    const templates: Array<[string[], unknown]> = [];
    if (d.request !== 'none') templates.push([['request', 'template'], d.request.template]);
    if (typeof d.cancel === 'object') templates.push([['cancel', 'template'], d.cancel.template]);
    let ok = true;
    const http: Array<[string[], unknown]> = [];
    if (d.start) http.push([['start', 'url'], d.start.url], [['start', 'body'], d.start.body]);
    if (d.sse) http.push([['sse', 'url'], d.sse.url]);
    if (d.poll) http.push([['poll', 'url'], d.poll.url]);
    for (const [where, t, known] of [...templates.map(([w, t]) => [w, t, PLACEHOLDERS] as const), ...http.map(([w, t]) => [w, t, HTTP_PLACEHOLDERS] as const)]) {
      const bad = unknownPlaceholders(t, known);
      if (bad.length === 0) continue;
      ok = false;
      ctx.addIssue({ code: 'custom', path: where, input: t, message: `unknown placeholder${bad.length > 1 ? 's' : ''} ${bad.map((b) => `\${${b}}`).join(', ')} (known: ${known.join(', ')})` });
    }
    for (const issue of concurrencyIssues(d)) {
      ok = false;
      ctx.addIssue({ code: 'custom', path: issue.path, input: value, message: issue.message });
    }
    return ok ? d : z.NEVER;
  }
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

/**
 * Several streams on one connection can only be told apart when the request carries the id and every
 * frame, done and error names it. Each missing id is an issue naming the field to set.
 */
function concurrencyIssues(d: DeclarativeProtocol): Array<{ path: string[]; message: string }> {
  const n = streamsOf(d);
  if (n <= 1) return [];
  const out: Array<{ path: string[]; message: string }> = [];
  const why = `correlation.streams: ${n} needs`;
  if (d.request === 'none' || !JSON.stringify(d.request.template).includes('${requestId}')) out.push({ path: ['request', 'template'], message: `${why} a request template that sends \${requestId}` });
  const f = d.frames;
  const metaId = f.meta?.requestId !== undefined;
  if (f.binary === 'frame' && !metaId)
    out.push({
      path: ['frames', 'binary'],
      message: `${why} frames that carry a request id: binary frames without one cannot be matched to a stream; set frames.meta.requestId (a meta message before each frame) or frames.binary.requestId (an id at an offset), or use correlation: single`,
    });
  else if (typeof f.binary === 'object' && f.binary.requestId === undefined && !metaId)
    out.push({ path: ['frames', 'binary', 'requestId'], message: `${why} frames.binary.requestId (or frames.meta.requestId): binary frames without an id cannot be matched to a stream` });
  if (f.meta && !metaId) out.push({ path: ['frames', 'meta', 'requestId'], message: `${why} frames.meta.requestId: the field of the meta message holding the request id` });
  if (f.json && f.json.requestId === undefined) out.push({ path: ['frames', 'json', 'requestId'], message: `${why} frames.json.requestId: the field of a frame message holding the request id` });
  if (d.done && d.done.requestId === undefined) out.push({ path: ['done', 'requestId'], message: `${why} done.requestId: the field of the done message holding the request id` });
  if (d.error && d.error.requestId === undefined) out.push({ path: ['error', 'requestId'], message: `${why} error.requestId: the field of the error message holding the request id` });
  if (!d.done && d.end.frames === false) out.push({ path: ['done'], message: `${why} a done matcher with requestId, or end.frames: true` });
  return out;
}
