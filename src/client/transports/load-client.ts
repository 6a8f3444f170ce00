// What the pool drives, whatever the transport: one virtual viewer's lifecycle. The factory picks
// the client class by the cell's `transport`.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient, type ClientPhase } from '../virtual-client.js';
import { AdapterPollClient } from './adapter-poll-client.js';
import { AdapterSseClient } from './adapter-sse-client.js';
import { httpTransportProblem } from './http-transport-check.js';
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
  const foreign = !ctx.adapter.reference;
  const problem = httpTransportProblem(t, ctx.adapter);
  if (problem) throw new ScenarioError(problem);
  switch (t) {
    case 'sse':
      return foreign ? new AdapterSseClient(index, ctx) : new SseClient(index, ctx);
    case 'http-poll':
      return foreign ? new AdapterPollClient(index, ctx, false) : new PollClient(index, ctx, false);
    case 'http-longpoll':
      return foreign ? new AdapterPollClient(index, ctx, true) : new PollClient(index, ctx, true);
    default:
      return new VirtualClient(index, ctx);
  }
}
