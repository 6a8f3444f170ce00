// What every virtual client of one cell shares: target, request parameters, the collector.
import type { ClientOptions } from 'ws';
import type { CellCollector } from '../metrics/collector.js';
import type { CellParams } from '../scenario/schema.js';

export interface ClientContext {
  url: string;
  params: CellParams;
  collector: CellCollector;
  /** Added to client time to get server time (0 for a loopback target: one clock). */
  offsetUs: number;
  wsOptions: ClientOptions;
  /** Called when a client's connection count changes (+1 open, -1 closed). */
  onConnection?: (delta: 1 | -1) => void;
}
