// The scenario schema: every field with its default and a message saying what is allowed.
import { z } from 'zod';
import { RESOLUTION_HELP, parseResolution } from '../frames/resolution.js';
import { chaosSchema } from '../chaos/schema.js';
import { protocolSchema } from '../protocol/adapters/schema.js';
import { DURATION_HELP, parseDuration } from '../text/duration.js';
import { targetUrlProblem } from './target-url.js';
import { hasControls } from '../text/sanitize.js';

const positiveInt = (what = 'a positive integer') =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

const duration = z.union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` }).refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });

const resolution = z.string({ error: `expected ${RESOLUTION_HELP}` }).refine((v) => parseResolution(v) !== undefined, { error: `expected ${RESOLUTION_HELP}` });

const target = z.string({ error: 'expected a ws:// or wss:// URL' }).superRefine((v, ctx) => {
  const problem = targetUrlProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
});

export const FORMATS = ['webp', 'jpeg', 'png'] as const;
/** WebSocket binary / base64-json, Server-Sent Events, HTTP short and long polling. */
export const TRANSPORTS = ['binary', 'base64-json', 'sse', 'http-poll', 'http-longpoll'] as const;
export const CONNECTIONS = ['reuse', 'per-request'] as const;
export type CellTransport = (typeof TRANSPORTS)[number];

/** Fields that describe one cell of load; any of them can be a sweep axis. */
export const cellFields = {
  clients: positiveInt().default(10),
  rampUp: duration.default('1s'),
  warmup: duration.default('1s'),
  duration: duration.default('10s'),
  drainTimeout: duration.default('5s'),
  fps: z.number({ error: 'expected frames per second between 0.1 and 240' }).min(0.1, { error: 'expected frames per second between 0.1 and 240' }).max(240, { error: 'expected frames per second between 0.1 and 240' }).default(30),
  framesPerRequest: z.union([positiveInt(), z.literal('continuous')], { error: 'expected a positive integer or "continuous"' }).default(30),
  format: z.enum(FORMATS, { error: `expected one of ${FORMATS.join(', ')}` }).default('webp'),
  resolution: resolution.default('480p'),
  quality: positiveInt('an integer quality from 1 to 100').max(100, { error: 'expected an integer quality from 1 to 100' }).default(75),
  bufferDepth: positiveInt('a positive integer number of frames').default(5),
  transport: z.enum(TRANSPORTS, { error: `expected one of ${TRANSPORTS.join(', ')}` }).default('binary'),
  /** `per-request`: a new connection for every generate request (its handshake shows in first-frame time); `reuse`: one kept alive. */
  connection: z.enum(CONNECTIONS, { error: `expected one of ${CONNECTIONS.join(', ')}` }).default('reuse'),
  /** Upload cells: how often the ingestion server's dispatcher sends a batch to the model API. */
  dispatchInterval: duration.optional(),
  /** Upload cells: most frames per model request. */
  batchSize: positiveInt('a positive integer number of frames').optional(),
  /** Upload cells: the mock model API's rate limit, requests per minute (0 = none). */
  apiRateLimit: z.number({ error: 'expected requests per minute (0 = no limit)' }).int({ error: 'expected requests per minute (0 = no limit)' }).min(0, { error: 'expected requests per minute (0 = no limit)' }).optional(),
};

export type CellFieldName = keyof typeof cellFields;
export const CELL_FIELD_NAMES = Object.keys(cellFields) as CellFieldName[];

const reconnectSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    base: duration.default('100ms'),
    cap: duration.default('5s'),
    maxAttempts: z.number({ error: 'expected a non-negative integer (0 = no limit)' }).int({ error: 'expected a non-negative integer (0 = no limit)' }).min(0, { error: 'expected a non-negative integer (0 = no limit)' }).default(0),
    resume: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .refine((r) => (parseDuration(r.base) ?? 0) <= (parseDuration(r.cap) ?? Infinity), {
    error: 'reconnect.base must not be longer than reconnect.cap (the backoff starts at base and grows to cap)',
    path: ['base'],
  })
  .default({ enabled: true, base: '100ms', cap: '5s', maxAttempts: 0, resume: true });

const heartbeatSchema = z
  .strictObject({
    interval: duration.default('5s'),
    timeout: duration.default('10s'),
  })
  .default({ interval: '5s', timeout: '10s' });

const stageSchema = z.strictObject({
  duration,
  target: z.number({ error: 'expected a whole number of clients (0 or more)' }).int({ error: 'expected a whole number of clients (0 or more)' }).min(0, { error: 'expected a whole number of clients (0 or more)' }),
});

const scrapeSchema = z.strictObject({
  /** Prometheus /metrics URLs (http:// or https://). */
  urls: z.array(z.string().regex(/^https?:\/\/\S+$/, { error: 'expected an http:// or https:// URL' }), { error: 'expected a list of URLs' }).default([]),
  /** Also scrape the target's own /metrics (same host and port as the WebSocket target). */
  fromTarget: z.boolean({ error: 'expected true or false' }).default(false),
  /** Folder of `bench topology up --dir`: also scrape its gateways and generators (queue depth, utilisation). */
  topology: z.string({ error: 'expected the folder given to `bench topology up --dir`' }).min(1).optional(),
  interval: duration.default('15s'),
  /** Extra series to keep, by metric name (optionally name{label="value"}). */
  series: z.array(z.string({ error: 'expected a metric name' }), { error: 'expected a list of metric names' }).default([]),
});

export const DIRECTIONS = ['download', 'upload'] as const;

const nonNegInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(0, { error: `expected ${what}` });

const fieldName = z.string({ error: 'expected a field name' }).min(1, { error: 'expected a non-empty field name' });

/** A foreign ingestion server's field names: frames sent, the end message, answers read. */
const wireSchema = z.strictObject({
  typeField: fieldName.default('type'),
  frameType: z.string({ error: 'expected the frame message type (text)' }).default('frame'),
  seqField: fieldName.default('seq'),
  capturedAtField: fieldName.default('capturedAt'),
  dataField: fieldName.default('data'),
  dataPrefix: z.string({ error: 'expected text put before the base64, e.g. "data:image/jpeg;base64,"' }).default(''),
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), { error: 'expected a map of field name to a string, number or boolean' }).default({}),
  end: z.union([z.string(), z.null()], { error: 'expected the message sent when a camera stops (text), or null for none' }).default('{"type":"end"}'),
  answerType: z.string({ error: 'expected the answer message type (text)' }).default('answer'),
  answerSeqsField: fieldName.default('seqs'),
});

/** Upload direction: the reference ingestion server, the mock model API and the cameras' limits. */
export const ingestSchema = z.strictObject({
  /** Frames buffered per camera connection on the server; the oldest is dropped beyond it. */
  bufferFrames: positiveInt('a positive integer number of frames').default(32),
  /** Characters of previous answers sent with each model request (0 = no temporal context). */
  contextChars: nonNegInt('a number of characters (0 = no context)').default(2000),
  /** Frames per second one connection may send before the server answers rate_limited. */
  maxFps: z.number({ error: 'expected frames per second above 0' }).positive({ error: 'expected frames per second above 0' }).default(10),
  /** Largest image one frame may carry, bytes. */
  maxFrameBytes: positiveInt('a positive number of bytes').default(1024 * 1024),
  /** Model calls in flight over all connections. */
  maxInflight: positiveInt().default(256),
  /** Retries of a model call after 429 / 5xx / network errors, and their backoff. */
  retries: nonNegInt('a non-negative number of retries').default(4),
  retryBase: duration.default('250ms'),
  retryCap: duration.default('10s'),
  /** Mock model API: median latency with no image, added per image, and per 1000 characters of text. */
  apiLatency: duration.default('250ms'),
  apiPerImage: duration.default('30ms'),
  apiPerKChars: duration.default('4ms'),
  /** Mock model API: token budget per minute (0 = none). */
  apiTokensPerMin: nonNegInt('tokens per minute (0 = no budget)').default(0),
  /** A real model API (OpenAI-style chat completions) instead of the mock; its key comes from FRAMEBENCH_MODEL_KEY. */
  modelUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/, { error: 'expected an http:// or https:// URL' })
    .optional(),
  /** Model name sent in each request. */
  model: z.string({ error: 'expected a model name' }).min(1).default('framebench-mock'),
  /** With --target: the team's server's stats URL (JSON as the reference server's GET /stats), when it has one. */
  statsUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/, { error: 'expected an http:// or https:// URL' })
    .optional(),
  /** Camera side: due frames kept to send late while the socket cannot take them; older ones count as unsent. */
  maxBacklog: positiveInt('a positive integer number of frames').default(30),
  /** Camera side: a send waits while the socket holds more than this many bytes (slow server → send lateness). */
  maxBufferedBytes: positiveInt('a positive number of bytes').default(1024 * 1024),
  /** Deprecated alias of `protocol.upload` (converted on load): a foreign ingestion server's field names. */
  wire: wireSchema.optional(),
  /** Bandwidth budget per camera, bytes/s (the usual assumption is 150 KB/s). */
  budgetBytesPerSec: positiveInt('a positive number of bytes per second').default(150_000),
});

const browsersSchema = z
  .strictObject({
    /** Chromium pages per cell (0 = none). */
    pages: z
      .number({ error: 'expected a whole number of pages (0 to 32)' })
      .int({ error: 'expected a whole number of pages (0 to 32)' })
      .min(0, { error: 'expected a whole number of pages (0 to 32)' })
      .max(32, { error: 'expected a whole number of pages (0 to 32)' })
      .default(0),
    /** WebSocket streams per page. */
    streams: positiveInt('a whole number of streams per page (1 to 200)').max(200, { error: 'expected a whole number of streams per page (1 to 200)' }).default(25),
  })
  .default({ pages: 0, streams: 25 });

export const scenarioSchema = z.strictObject({
  name: z
    .string({ error: 'expected a name (text)' })
    .min(1, { error: 'expected a non-empty name' })
    .max(200, { error: 'expected a name of at most 200 characters' })
    .refine((v) => !hasControls(v), { error: 'expected a name without control characters (NUL, escape, newline …)' })
    .default('scenario'),
  description: z.string({ error: 'expected text' }).optional(),
  target: target.optional(),
  seed: z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).default(1),
  repeat: positiveInt().default(1),
  corpusFrames: positiveInt().max(600, { error: 'expected a positive integer up to 600' }).default(60),
  sweep: z
    .record(z.string(), z.array(z.unknown(), { error: 'expected a list of values' }).min(1, { error: 'expected at least one value' }), {
      error: 'expected a map of field name to a list of values',
    })
    .optional(),
  thresholds: z.unknown().optional(),
  /** Soak stages: the client count moves linearly to each target over its duration (instead of clients/rampUp/duration). */
  stages: z.array(stageSchema, { error: 'expected a list of { duration, target }' }).min(1, { error: 'expected at least one stage' }).optional(),
  /** Prometheus endpoints scraped during soaks. */
  scrape: scrapeSchema.optional(),
  /** Thresholds on drift over a soak's hold phase, e.g. "frame.p99": "< 20%". */
  drift: z.unknown().optional(),
  /** Faults injected during each cell's measured window (see src/chaos/schema.ts). */
  chaos: chaosSchema.default([]),
  /** How clients reconnect after losing their connection (exponential backoff, full jitter, resume). */
  reconnect: reconnectSchema,
  /** Client-side liveness: ping after `interval` of silence, reconnect after `timeout` (detects black holes). */
  heartbeat: heartbeatSchema,
  /** How clients talk to the target: "reference" (default), a declarative adapter, or { module } (src/protocol/adapters/schema.ts). */
  protocol: protocolSchema.default('reference'),
  /** A measured window in which a harness event loop stalled longer than this is flagged harness-affected. */
  harnessPause: duration.default('100ms'),
  /** download: clients receive generated frames (the default); upload: cameras send frames to an ingestion server. */
  direction: z.enum(DIRECTIONS, { error: `expected one of ${DIRECTIONS.join(', ')}` }).default('download'),
  ingest: ingestSchema.optional(),
  /** Viewers in real headless Chromium beside the Node clients: decode, paint, drops, freezes. */
  browsers: browsersSchema,
  ...cellFields,
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type CellParams = Pick<Scenario, CellFieldName>;
export type ReconnectConfig = Scenario['reconnect'];
export type HeartbeatConfig = Scenario['heartbeat'];
export type IngestConfig = z.output<typeof ingestSchema>;
