// The `chaos:` list of a scenario: one entry per fault, each with a schedule, validated with messages saying what is allowed.
import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../text/duration.js';
import { BANDWIDTH_HELP, parseBandwidth } from './bandwidth.js';
import { TOPOLOGY_KINDS, topologyEntries } from './topology-schema.js';

export const CHAOS_KINDS = ['kill-clients', 'drop-connections', 'restart-server', 'command', 'network', 'model-api', ...TOPOLOGY_KINDS] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

const duration = z.union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` }).refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });

const positiveDuration = (what: string) =>
  z.union([z.string(), z.number()], { error: `expected ${what}: ${DURATION_HELP}, above zero` }).refine((v) => (parseDuration(v) ?? 0) > 0, { error: `expected ${what}: ${DURATION_HELP}, above zero` });

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

/** When it fires: first at `at` (default 0s, or one `every` when repeating), then every `every`, at most `times` times. */
const schedule = {
  at: duration.optional(),
  every: positiveDuration('the interval between firings').optional(),
  times: positiveInt('a positive integer number of firings').optional(),
};

const AMOUNT_HELP = 'either fraction (a number from 0 to 1) or count (a positive integer), not both';
const amount = {
  fraction: z.number({ error: 'expected a fraction from 0 to 1' }).min(0, { error: 'expected a fraction from 0 to 1' }).max(1, { error: 'expected a fraction from 0 to 1' }).optional(),
  count: positiveInt('a positive integer count').optional(),
};
const oneAmount = (v: { fraction?: number; count?: number }) => (v.fraction === undefined) !== (v.count === undefined);

const killClients = z.strictObject({ kind: z.literal('kill-clients'), ...schedule, ...amount }).refine(oneAmount, { error: `expected ${AMOUNT_HELP}`, path: ['fraction'] });

const dropConnections = z.strictObject({ kind: z.literal('drop-connections'), ...schedule, ...amount }).refine(oneAmount, { error: `expected ${AMOUNT_HELP}`, path: ['fraction'] });

const restartServer = z.strictObject({
  kind: z.literal('restart-server'),
  ...schedule,
  mode: z.enum(['kill', 'term'], { error: 'expected kill (SIGKILL) or term (SIGTERM, graceful)' }).default('kill'),
  downtime: duration.default('1s'),
});

const command = z.strictObject({
  kind: z.literal('command'),
  ...schedule,
  run: z.string({ error: 'expected a shell command (text)' }).trim().min(1, { error: 'expected a non-empty shell command' }),
  timeout: positiveDuration('a timeout').default('30s'),
});

const NETWORK_EFFECTS = ['latency', 'jitter', 'bandwidth', 'reset', 'blackhole'] as const;
const network = z
  .strictObject({
    kind: z.literal('network'),
    ...schedule,
    duration: positiveDuration('the window length').optional(),
    latency: duration.optional(),
    jitter: duration.optional(),
    bandwidth: z
      .union([z.string(), z.number()], { error: `expected ${BANDWIDTH_HELP}` })
      .refine((v) => parseBandwidth(v) !== undefined, { error: `expected ${BANDWIDTH_HELP}` })
      .optional(),
    reset: z.boolean({ error: 'expected true or false' }).optional(),
    blackhole: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .refine((v) => NETWORK_EFFECTS.some((k) => v[k] !== undefined && v[k] !== false), {
    error: `expected at least one of ${NETWORK_EFFECTS.join(', ')}`,
  })
  .refine((v) => v.duration === undefined || v.every === undefined || parseDuration(v.duration)! <= parseDuration(v.every)!, {
    error: 'expected a window no longer than every (windows of one entry must not overlap)',
    path: ['duration'],
  });

/** Upload cells: the model API behind the ingestion server throttles (every call 429), slows down or fails for a while. */
const modelApi = z.strictObject({
  kind: z.literal('model-api'),
  ...schedule,
  effect: z.enum(['throttle', 'slow', 'fail'], { error: 'expected throttle (every call 429), slow (latency × factor) or fail (a share of 503s)' }),
  duration: positiveDuration('how long the effect lasts'),
  factor: z.number({ error: 'expected a latency factor ≥ 1' }).min(1, { error: 'expected a latency factor ≥ 1' }).default(5),
  rate: z.number({ error: 'expected a share of failing calls from 0 to 1' }).min(0, { error: 'expected a share of failing calls from 0 to 1' }).max(1, { error: 'expected a share of failing calls from 0 to 1' }).default(1),
});

const KIND_HELP = `expected kind to be one of ${CHAOS_KINDS.join(', ')}`;
const ENTRY_HELP = `expected a chaos entry: a map with kind (${CHAOS_KINDS.join(', ')}) and its fields`;
const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

export const chaosEntrySchema = z.discriminatedUnion('kind', [killClients, dropConnections, restartServer, command, network, modelApi, ...topologyEntries(schedule)], {
  error: (issue) => (isMap(issue.input) ? KIND_HELP : ENTRY_HELP),
});

export const chaosSchema = z.array(chaosEntrySchema, { error: 'expected a list of chaos entries' });

export type ChaosEntry = z.output<typeof chaosEntrySchema>;
export type ChaosEntryInput = z.input<typeof chaosEntrySchema>;
export type ChaosList = z.output<typeof chaosSchema>;
export type ChaosEntryOf<K extends ChaosKind> = Extract<ChaosEntry, { kind: K }>;
export type KillClientsEntry = ChaosEntryOf<'kill-clients'>;
export type DropConnectionsEntry = ChaosEntryOf<'drop-connections'>;
export type RestartServerEntry = ChaosEntryOf<'restart-server'>;
export type CommandEntry = ChaosEntryOf<'command'>;
export type NetworkEntry = ChaosEntryOf<'network'>;
export type ModelApiEntry = ChaosEntryOf<'model-api'>;
