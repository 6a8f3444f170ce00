// Makes the pool's LoadClient (load-client-type.ts) for a viewer: the factory picks the client class
// by the cell's `transport`; the HTTP transports' clients (and their HTTP stack) are loaded only for
// a cell that uses them, so a WebSocket run does not carry them.
import { ScenarioError } from '../../errors.js';
import type { ClientContext } from '../client-context.js';
import { VirtualClient } from '../virtual-client.js';
import type { LoadClient } from './load-client-type.js';
import type { PollClient } from './poll-client.js';
import type { SseClient } from './sse-client.js';

let httpClients: { PollClient: typeof PollClient; SseClient: typeof SseClient } | undefined;

/** Loads what `transport`'s clients need; createLoadClient is ready for it once this resolves. */
export async function loadTransport(transport: string): Promise<void> {
  if (httpClients || (transport !== 'sse' && transport !== 'http-poll' && transport !== 'http-longpoll')) return;
  const [poll, sse] = await Promise.all([import('./poll-client.js'), import('./sse-client.js')]);
  httpClients = { PollClient: poll.PollClient, SseClient: sse.SseClient };
}

function http(transport: string): NonNullable<typeof httpClients> {
  if (!httpClients) throw new Error(`transport ${transport}: its clients are not loaded (await loadTransport first)`);
  return httpClients;
}

export function createLoadClient(index: number, ctx: ClientContext): LoadClient {
  const t = ctx.params.transport;
  if (ctx.params.connection === 'per-request' && (t === 'binary' || t === 'base64-json')) {
    throw new ScenarioError(`connection: per-request is supported for the sse, http-poll and http-longpoll transports; transport ${t} keeps its WebSocket (use connection: reuse)`);
  }
  switch (ctx.params.transport) {
    case 'sse':
      return new (http(t).SseClient)(index, ctx);
    case 'http-poll':
      return new (http(t).PollClient)(index, ctx, false);
    case 'http-longpoll':
      return new (http(t).PollClient)(index, ctx, true);
    default:
      return new VirtualClient(index, ctx);
  }
}
