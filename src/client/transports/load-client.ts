// Makes the pool's LoadClient (load-client-type.ts) for a viewer: the factory picks the client class
// by the cell's `transport`.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient } from '../virtual-client.js';
import { AdapterPollClient } from './adapter-poll-client.js';
import { AdapterSseClient } from './adapter-sse-client.js';
import { httpTransportProblem } from './http-transport-check.js';
import type { LoadClient } from './load-client-type.js';
import { PollClient } from './poll-client.js';
import { SseClient } from './sse-client.js';

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
