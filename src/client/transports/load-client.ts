// Makes the pool's LoadClient (load-client-type.ts) for a viewer: the factory picks the client class
// by the cell's `transport`; the HTTP transports' clients (and their HTTP stack) are loaded only for
// a cell that uses them, so a WebSocket run does not carry them.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient } from '../virtual-client.js';
import type { LoadClient } from './load-client-type.js';
import type { AdapterPollClient } from './adapter-poll-client.js';
import type { AdapterSseClient } from './adapter-sse-client.js';
import { httpTransportProblem } from './http-transport-check.js';
import type { PollClient } from './poll-client.js';
import type { SseClient } from './sse-client.js';

let httpClients: { PollClient: typeof PollClient; SseClient: typeof SseClient; AdapterPollClient: typeof AdapterPollClient; AdapterSseClient: typeof AdapterSseClient } | undefined;

/** Loads what `transport`'s clients need; createLoadClient is ready for it once this resolves. */
export async function loadTransport(transport: string): Promise<void> {
  if (httpClients || (transport !== 'sse' && transport !== 'http-poll' && transport !== 'http-longpoll')) return;
  const [poll, sse, apoll, asse] = await Promise.all([import('./poll-client.js'), import('./sse-client.js'), import('./adapter-poll-client.js'), import('./adapter-sse-client.js')]);
  httpClients = { PollClient: poll.PollClient, SseClient: sse.SseClient, AdapterPollClient: apoll.AdapterPollClient, AdapterSseClient: asse.AdapterSseClient };
}

function http(transport: string): NonNullable<typeof httpClients> {
  if (!httpClients) throw new Error(`transport ${transport}: its clients are not loaded (await loadTransport first)`);
  return httpClients;
}

export function createLoadClient(index: number, ctx: ClientContext): LoadClient {
  const t = ctx.params.transport;
  const foreign = !ctx.adapter.reference;
  const problem = httpTransportProblem(t, ctx.adapter);
  if (problem) throw new ScenarioError(problem);
  switch (t) {
    case 'sse':
      return foreign ? new (http(t).AdapterSseClient)(index, ctx) : new (http(t).SseClient)(index, ctx);
    case 'http-poll':
      return foreign ? new (http(t).AdapterPollClient)(index, ctx, false) : new (http(t).PollClient)(index, ctx, false);
    case 'http-longpoll':
      return foreign ? new (http(t).AdapterPollClient)(index, ctx, true) : new (http(t).PollClient)(index, ctx, true);
    default:
      return new VirtualClient(index, ctx);
  }
}
