// Whether a cell's transport can talk to the target its protocol describes: the reference protocol
// speaks every transport; a declarative block needs `sse:` for sse and `poll:` for the polling
// transports (and frames.json for SSE, whose data is text); a protocol module speaks WebSocket only.
import type { ProtocolAdapter } from '../../protocol/adapters/types.js';

export const HTTP_TRANSPORTS = ['sse', 'http-poll', 'http-longpoll'] as const;

export function isHttpTransport(t: string): boolean {
  return (HTTP_TRANSPORTS as readonly string[]).includes(t);
}

/** Why `transport` cannot run with this adapter, or undefined when it can. */
export function httpTransportProblem(transport: string, adapter: ProtocolAdapter & { jsonFrames?: boolean }): string | undefined {
  if (adapter.reference || !isHttpTransport(transport)) return undefined;
  if (adapter.name !== 'declarative')
    return `transport ${transport} with a protocol module: modules speak WebSocket only; describe the server's ${transport === 'sse' ? 'event stream with protocol.sse' : 'polling with protocol.poll'} in a declarative protocol: block`;
  const http = adapter.http;
  if (transport === 'sse') {
    if (!http?.sse) return "transport sse needs protocol.sse: { url, event } (the event stream's URL and the name of the events carrying frames), see Transports in the README";
    if (adapter.jsonFrames === false) return 'transport sse needs protocol.frames.json: { match, data, seq, timestamp } (where the base64 image and its fields are in the JSON of data:), see Transports in the README';
    return undefined;
  }
  if (!http?.poll) return `transport ${transport} needs protocol.poll: { url } (e.g. /api/streams/\${streamId}/frame?after=\${seq}), and protocol.start to start a stream, see Transports in the README`;
  return undefined;
}
