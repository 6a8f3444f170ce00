// What the pool drives, whatever the transport: one virtual viewer's lifecycle. The factory picks
// the client class by the cell's `transport`.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient, type ClientPhase } from '../virtual-client.js';
import { PollClient } from './poll-client.js';
import { SseClient } from './sse-client.js';

export interface LoadClient {
  readonly index: number;
  readonly phase: ClientPhase;
  /** Settles once the client is done for good. */
  readonly closed: Promise<void>;
  start(): void;
  /** After warm-up: a continuous stream started unmeasured is replaced by a measured one. */
  rollover(): void;
  /** No new requests; continuous streams are ended. */
  stop(): void;
  whenIdle(): Promise<void>;
  /** Ends any request in flight as lost (drain timeout) and closes. */
  close(): void;
  terminate(): void;
  /** Chaos: destroys the connection without a goodbye; false when there was none. */
  kill(): boolean;
  heartbeat(nowAtUs: number, intervalUs: number, timeoutUs: number): void;
}

export function createLoadClient(index: number, ctx: ClientContext): LoadClient {
  const t = ctx.params.transport;
  if (ctx.params.connection === 'per-request' && (t === 'binary' || t === 'base64-json')) {
    throw new ScenarioError(`connection: per-request is supported for the sse, http-poll and http-longpoll transports; transport ${t} keeps its WebSocket (use connection: reuse)`);
  }
  switch (ctx.params.transport) {
    case 'sse':
      return new SseClient(index, ctx);
    case 'http-poll':
      return new PollClient(index, ctx, false);
    case 'http-longpoll':
      return new PollClient(index, ctx, true);
    default:
      return new VirtualClient(index, ctx);
  }
}
