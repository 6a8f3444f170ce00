// What every virtual client of one cell shares: target, request parameters, policies, the collector.
import type { ClientOptions } from 'ws';
import type { CellCollector } from '../metrics/collector.js';
import type { ProtocolAdapter } from '../protocol/adapters/types.js';
import type { CellParams } from '../scenario/schema.js';
import type { BackoffPolicy } from './backoff.js';

export interface ReconnectPolicy extends BackoffPolicy {
  enabled: boolean;
  /** 0 = keep trying while the run lasts. */
  maxAttempts: number;
  resume: boolean;
}

export interface ClientContext {
  url: string;
  params: CellParams;
  collector: CellCollector;
  /** What every message is, and what to send (loaded once per client process). */
  adapter: ProtocolAdapter;
  /** Added to client time to get server time (0 for a loopback target: one clock). */
  offsetUs: number;
  wsOptions: ClientOptions;
  reconnect: ReconnectPolicy;
  /** Unique per run; with the client index it names a client's session for resume. */
  sessionPrefix: string;
  random: () => number;
  /** Local source addresses, used round robin by client index (more ports than one address has). */
  localAddresses?: string[];
  /** Called when a client's connection count changes (+1 open, -1 closed). */
  onConnection?: (delta: 1 | -1) => void;
}

export const NO_RECONNECT: ReconnectPolicy = { enabled: false, baseMs: 100, capMs: 5000, maxAttempts: 0, resume: false };
