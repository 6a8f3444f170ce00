// The HTTP half of declarative protocol blocks without sockets: schema errors naming the field,
// URL templates (percent-encoded values, stream id and poll position), which transports a block
// can drive, and how a poll answer is told JSON from binary.
import { describe, expect, it } from 'vitest';
import { isJsonAnswer } from '../../src/client/transports/adapter-poll-client.js';
import { httpTransportProblem } from '../../src/client/transports/http-transport-check.js';
import { createAdapter } from '../../src/protocol/adapters/index.js';
import { renderTemplate, renderUrl } from '../../src/protocol/adapters/template.js';
import type { RequestContext } from '../../src/protocol/adapters/types.js';
import { scenario } from '../helpers.js';

const ctx: RequestContext = {
  requestNo: 3,
  requestId: 3,
  session: 's',
  clientId: 7,
  fps: 30,
  frames: 20,
  format: 'jpeg',
  resolution: '480p',
  width: 854,
  height: 480,
  quality: 75,
  transport: 'http-poll',
  prompt: 'a fox & a hare',
  uuid: 'u',
};
const protocolOf = (p: unknown) => scenario({ protocol: p }).scenario.protocol;

describe('protocol start / sse / poll schema', () => {
  it('accepts the blocks with their defaults', async () => {
    const a = await createAdapter(
      protocolOf({
        start: { url: '/api/streams', body: { count: '${frames}' }, id: 'stream_id' },
        poll: { url: '/api/streams/${streamId}/frame?after=${seq}' },
        sse: { url: '/s/${streamId}' },
        frames: { json: { match: {}, data: 'jpeg' } },
      }),
    );
    expect(a.http?.start).toMatchObject({ method: 'POST', id: 'stream_id' });
    expect(a.http?.poll).toMatchObject({ empty: [204], done: [410] });
    expect(a.http?.sse).toMatchObject({ event: 'message', ignore: [] });
    expect(a.http?.pollIntervalUs).toBeUndefined();
  });

  it('names the field of an unknown placeholder and of a URL that is not a path', () => {
    expect(() => protocolOf({ poll: { url: '/f?after=${last}' } })).toThrow(/protocol\.poll\.url.*unknown placeholder \$\{last\}.*streamId, seq, next/s);
    expect(() => protocolOf({ sse: { url: 'http://elsewhere/events' } })).toThrow(/protocol\.sse\.url.*starting with \//s);
    expect(() => protocolOf({ poll: { url: '/f', empty: [99] } })).toThrow(/protocol\.poll\.empty/);
    // the WebSocket request template does not know the poll position
    expect(() => protocolOf({ request: { template: { after: '${seq}' } } })).toThrow(/unknown placeholder \$\{seq\}/);
  });
});

describe('HTTP templates', () => {
  it('percent-encodes every value in a URL and keeps JSON types in a body', () => {
    expect(renderUrl('/api/streams/${streamId}/frame?after=${seq}&n=${next}&p=${prompt}', { ...ctx, streamId: 'a/b', seq: 4, next: 5 })).toBe('/api/streams/a%2Fb/frame?after=4&n=5&p=a%20fox%20%26%20a%20hare');
    expect(JSON.parse(renderTemplate({ count: '${frames}', fps: '${fps}', prompt: '${prompt}' }, ctx))).toEqual({ count: 20, fps: 30, prompt: 'a fox & a hare' });
  });
});

describe('which transports a protocol can drive', () => {
  it('the reference protocol any; a declarative block the HTTP ones only with its sse / poll block', async () => {
    const ref = await createAdapter('reference');
    for (const t of ['binary', 'sse', 'http-poll']) expect(httpTransportProblem(t, ref)).toBeUndefined();
    const ws = await createAdapter(protocolOf({ done: { match: { type: 'done' } } }));
    expect(httpTransportProblem('binary', ws)).toBeUndefined();
    expect(httpTransportProblem('sse', ws)).toMatch(/protocol\.sse/);
    expect(httpTransportProblem('http-longpoll', ws)).toMatch(/protocol\.poll/);
    const sseNoJson = await createAdapter(protocolOf({ sse: { url: '/e' } }));
    expect(httpTransportProblem('sse', sseNoJson)).toMatch(/protocol\.frames\.json/);
  });
});

describe('poll answers', () => {
  it('are JSON by content type, else by their first byte', () => {
    expect(isJsonAnswer('application/json; charset=utf-8', Buffer.from('x'))).toBe(true);
    expect(isJsonAnswer('image/jpeg', Buffer.from('{'))).toBe(false);
    expect(isJsonAnswer(undefined, Buffer.from('{"a":1}'))).toBe(true);
    expect(isJsonAnswer(undefined, Buffer.from([0xff, 0xd8]))).toBe(false);
  });
});
