// Per-hop latency through a gateway topology, recorded by clients when the server provides it:
// queue wait (from the gateway's `generation` message), generator → gateway (the gateway's stamp
// in the frame header's reserved field) and gateway → client (end to end minus that stamp).
import type { LatencySummary } from '../results/types.js';

export const HOP_KEYS = ['queueWait', 'generatorToGateway', 'gatewayToClient'] as const;
export type HopKey = (typeof HOP_KEYS)[number];
export type HopSummaries = Partial<Record<HopKey, LatencySummary>>;
