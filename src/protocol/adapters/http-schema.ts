// The HTTP half of a `protocol:` block, for targets reached with transport sse, http-poll or
// http-longpoll: how a stream is started (`start`, e.g. a POST answering with the stream's id), the
// SSE URL and event names (`sse`), the poll URL and what its answers mean (`poll`). What a frame,
// done or error looks like inside an SSE `data:` or a poll answer comes from the same frames / done
// / error / ignore rules as for WebSocket messages.
import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../../text/duration.js';

const duration = z.union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` }).refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });

const path = z.string({ error: 'expected a dotted field path, e.g. id or stream.id' }).regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { error: 'expected a dotted field path, e.g. id or stream.id' });

/** A path on the target's origin (`/api/streams?x=${prompt}`) with ${placeholders}. */
const urlTemplate = z.string({ error: 'expected a URL path on the target, e.g. /api/streams/${streamId}/events' }).regex(/^\//, { error: 'expected a URL path on the target starting with /, e.g. /api/streams/${streamId}/events' });

const headers = z.record(z.string(), z.string({ error: 'expected text' }), { error: 'expected a map of header name to value' });

const statuses = (what: string) =>
  z.array(
    z
      .number({ error: `expected HTTP status codes (${what})` })
      .int()
      .min(100, { error: 'expected an HTTP status code (100–599)' })
      .max(599, { error: 'expected an HTTP status code (100–599)' }),
    { error: `expected a list of HTTP status codes (${what})` },
  );

export const httpStartSchema = z.strictObject({
  method: z.enum(['POST', 'PUT', 'GET'], { error: 'expected POST, PUT or GET' }).default('POST'),
  url: urlTemplate,
  /** JSON object (placeholders keep their type) or text; none for a bodiless request. */
  body: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'expected a JSON object or a text template' }).optional(),
  headers: headers.default({}),
  /** Where the server's stream id is in the JSON answer; later URLs use it as ${streamId}. */
  id: path.optional(),
});

export const sseSchema = z.strictObject({
  /** GET URL of the event stream (after `start`, when there is one). */
  url: urlTemplate,
  /** Name of the events carrying frames (`event:` line; "message" when the server sends none). */
  event: z.string({ error: 'expected an SSE event name' }).min(1, { error: 'expected an SSE event name' }).default('message'),
  /** Event that ends the stream (its data may carry the frame count, read with done.frames). */
  done: z.string({ error: 'expected an SSE event name' }).min(1, { error: 'expected an SSE event name' }).optional(),
  /** Field of the done event's JSON data holding the number of frames the server says it sent. */
  doneFrames: path.optional(),
  /** Event reporting an error (its data read with the error rule when there is one). */
  error: z.string({ error: 'expected an SSE event name' }).min(1, { error: 'expected an SSE event name' }).optional(),
  /** Events to skip (heartbeats, progress). */
  ignore: z.array(z.string({ error: 'expected an SSE event name' }), { error: 'expected a list of SSE event names' }).default([]),
  headers: headers.default({}),
});

export const pollSchema = z.strictObject({
  /** GET URL of one poll: ${streamId}, ${seq} (last frame's seq, -1 before the first), ${next} (seq + 1). */
  url: urlTemplate,
  /** Statuses meaning "no frame yet" (a JSON answer matching `ignore` means the same). */
  empty: statuses('no frame yet').default([204]),
  /** Statuses meaning the stream has ended. */
  done: statuses('the stream has ended').default([410]),
  /** Wait after an empty answer (short polling; default half a frame interval; long polling: none). */
  interval: duration.optional(),
  headers: headers.default({}),
});

export type HttpStart = z.output<typeof httpStartSchema>;
export type SseSpec = z.output<typeof sseSchema>;
export type PollSpec = z.output<typeof pollSchema>;
