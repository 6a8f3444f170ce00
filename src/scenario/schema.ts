// The scenario schema: every field with its default and a message saying what is allowed.
import { z } from 'zod';
import { RESOLUTION_HELP, parseResolution } from '../frames/resolution.js';
import { chaosSchema } from '../chaos/schema.js';
import { DURATION_HELP, parseDuration } from './duration.js';

const positiveInt = (what = 'a positive integer') =>
  z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).positive({ error: `expected ${what}` });

const duration = z
  .union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` })
  .refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });

const resolution = z
  .string({ error: `expected ${RESOLUTION_HELP}` })
  .refine((v) => parseResolution(v) !== undefined, { error: `expected ${RESOLUTION_HELP}` });

const target = z
  .string({ error: 'expected a ws:// or wss:// URL' })
  .refine((v) => /^wss?:\/\/[^\s/]+/.test(v), { error: 'expected a ws:// or wss:// URL' });

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
  fps: z
    .number({ error: 'expected frames per second between 0.1 and 240' })
    .min(0.1, { error: 'expected frames per second between 0.1 and 240' })
    .max(240, { error: 'expected frames per second between 0.1 and 240' })
    .default(30),
  framesPerRequest: z
    .union([positiveInt(), z.literal('continuous')], { error: 'expected a positive integer or "continuous"' })
    .default(30),
  format: z.enum(FORMATS, { error: `expected one of ${FORMATS.join(', ')}` }).default('webp'),
  resolution: resolution.default('480p'),
  quality: positiveInt('an integer quality from 1 to 100').max(100, { error: 'expected an integer quality from 1 to 100' }).default(75),
  bufferDepth: positiveInt('a positive integer number of frames').default(5),
  transport: z.enum(TRANSPORTS, { error: `expected one of ${TRANSPORTS.join(', ')}` }).default('binary'),
  /** `per-request`: a new connection for every generate request (its handshake shows in first-frame time); `reuse`: one kept alive. */
  connection: z.enum(CONNECTIONS, { error: `expected one of ${CONNECTIONS.join(', ')}` }).default('reuse'),
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
  interval: duration.default('15s'),
  /** Extra series to keep, by metric name (optionally name{label="value"}). */
  series: z.array(z.string({ error: 'expected a metric name' }), { error: 'expected a list of metric names' }).default([]),
});

const browsersSchema = z
  .strictObject({
    /** Chromium pages per cell (0 = none). */
    pages: z.number({ error: 'expected a whole number of pages (0 to 32)' }).int({ error: 'expected a whole number of pages (0 to 32)' }).min(0, { error: 'expected a whole number of pages (0 to 32)' }).max(32, { error: 'expected a whole number of pages (0 to 32)' }).default(0),
    /** WebSocket streams per page. */
    streams: positiveInt('a whole number of streams per page (1 to 200)').max(200, { error: 'expected a whole number of streams per page (1 to 200)' }).default(25),
  })
  .default({ pages: 0, streams: 25 });

export const scenarioSchema = z.strictObject({
  name: z.string({ error: 'expected a name (text)' }).min(1, { error: 'expected a non-empty name' }).default('scenario'),
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
  /** Viewers in real headless Chromium beside the Node clients: decode, paint, drops, freezes. */
  browsers: browsersSchema,
  ...cellFields,
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type CellParams = Pick<Scenario, CellFieldName>;
export type ReconnectConfig = Scenario['reconnect'];
export type HeartbeatConfig = Scenario['heartbeat'];
