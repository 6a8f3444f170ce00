// `chaos:` entries for the local topology (see topology-faults.ts): kill-gateway, restart-redis,
// kill-generator, slow-generator. Each names the topology folder (default reports/topology).
import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../text/duration.js';

/** `index` picks a part (1-based); without it kill-gateway and kill-generator hit the busiest one. */
export const TOPOLOGY_KINDS = ['kill-gateway', 'restart-redis', 'kill-generator', 'slow-generator'] as const;

const duration = z.union([z.string(), z.number()], { error: `expected ${DURATION_HELP}` }).refine((v) => parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP}` });
const restart = z.union([z.literal('never'), z.string(), z.number()], { error: `expected ${DURATION_HELP} or "never"` }).refine((v) => v === 'never' || parseDuration(v) !== undefined, { error: `expected ${DURATION_HELP} or "never"` });
const index = z.number({ error: 'expected a 1-based index' }).int({ error: 'expected a 1-based index' }).positive({ error: 'expected a 1-based index' }).optional();
const topology = z.string({ error: 'expected the folder of `bench topology up --dir`' }).min(1).default('reports/topology');

/** The four entry schemas, sharing the scenario's schedule fields (at, every, times). */
export function topologyEntries<S extends z.ZodRawShape>(schedule: S) {
  return [
    z.strictObject({ kind: z.literal('kill-gateway'), ...schedule, topology, index, restart: restart.default('5s') }),
    z.strictObject({ kind: z.literal('restart-redis'), ...schedule, topology, downtime: duration.default('1s') }),
    z.strictObject({ kind: z.literal('kill-generator'), ...schedule, topology, index, restart: restart.default('5s') }),
    z.strictObject({
      kind: z.literal('slow-generator'),
      ...schedule,
      topology,
      index,
      factor: z.number({ error: 'expected a slowdown factor from 1 to 1000' }).min(1).max(1000).default(4),
      duration: duration.default('10s'),
    }),
  ] as const;
}
