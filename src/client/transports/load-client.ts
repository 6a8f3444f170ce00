// Makes the pool's LoadClient (load-client-type.ts) for a viewer: the factory picks the client class
// by the cell's `transport`.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient } from '../virtual-client.js';
import type { LoadClient } from './load-client-type.js';
import { PollClient } from './poll-client.js';
import { SseClient } from './sse-client.js';

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
