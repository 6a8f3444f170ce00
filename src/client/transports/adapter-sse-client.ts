// SSE client for a team's server described by `protocol:` (start, sse, frames.json, done, error):
// GET protocol.sse.url through the client's keep-alive, byte-counting agent, events parsed with
// eventsource-parser (the parser of the `eventsource` package) so every event name is seen. Events
// named protocol.sse.event are read with the frames/done/error/ignore rules; sse.done and sse.error
// events end the stream; an event of any other name is an error naming it, so a wrong event name
// fails the cell with a reason instead of measuring nothing quietly.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request } from 'undici';
import { SSE_UNEXPECTED_EVENT } from '../../metrics/http-protocol-reasons.js';
import { jsonPath } from '../../protocol/adapters/fields.js';
import { renderUrl, type TemplateContext } from '../../protocol/adapters/template.js';
import type { RequestState } from '../request-state.js';
import { errorKind } from '../stream-context.js';
import { AdapterHttpClient } from './adapter-http-client.js';

/** How long a stream that ended with done may take to close its response before it is aborted. */
const CLOSE_GRACE_MS = 1000;
const MAX_EVENT_NAME = 40;

export class AdapterSseClient extends AdapterHttpClient {
  protected readonly countsRequests = false;
  /** Requests ended by done whose response is still open: aborted after CLOSE_GRACE_MS (keeps the socket when the server closes first). */
  private readonly lingering = new Set<number>();

  protected override abort(req: RequestState): void {
    const ac = this.controllers.get(req.id);
    this.controllers.delete(req.id);
    if (!ac) return;
    if (!this.lingering.has(req.id)) return ac.abort();
    setTimeout(() => {
      this.lingering.delete(req.id);
      ac.abort();
    }, CLOSE_GRACE_MS).unref();
  }

  protected async stream(req: RequestState, vars: TemplateContext, signal: AbortSignal): Promise<void> {
    const sse = this.http.sse!;
    const res = await request(`${this.origin}${renderUrl(sse.url, vars)}`, { method: 'GET', headers: { accept: 'text/event-stream', ...sse.headers }, dispatcher: this.meter.agent, signal });
    if (this.current !== req) return void res.body.dump().catch(() => undefined);
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      return this.fail(req, `sse_http_${res.statusCode}`);
    }
    const parser = createParser({ onEvent: (ev) => this.onEvent(req, vars, ev) });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (this.current === req) parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } finally {
      this.lingering.delete(req.id);
    }
    if (this.current !== req) return;
    // the server closed the stream without a done: complete when every frame asked for came
    const complete = req.requested > 0 && req.received >= req.requested;
    if (!complete) this.ctx.collector.error('sse_stream_ended_before_done');
    this.endRequest(req, undefined, complete, !complete);
  }

  private onEvent(req: RequestState, vars: TemplateContext, ev: EventSourceMessage): void {
    if (this.current !== req) return;
    const sse = this.http.sse!;
    const name = ev.event ?? 'message';
    const c = this.ctx.collector;
    c.textMessage();
    const m = this.msg;
    if (name === sse.event) {
      const data = Buffer.from(ev.data);
      this.adapter.classify(data, false, m);
      this.lingering.add(req.id);
      if (!this.place(req, vars, m, data)) this.lingering.delete(req.id);
      return;
    }
    if (name === sse.done) {
      this.lingering.add(req.id);
      this.endRequest(req, sse.doneFrames === undefined ? undefined : framesIn(ev.data, sse.doneFrames), true);
      return;
    }
    if (name === sse.error) {
      this.adapter.classify(Buffer.from(ev.data), false, m);
      this.fail(req, m.kind === 'error' ? errorKind(m.code) : 'sse_error_event');
      return;
    }
    if (sse.ignore.includes(name)) return;
    c.error(`${SSE_UNEXPECTED_EVENT}${name.slice(0, MAX_EVENT_NAME)}`);
  }
}

/** The frame count at `path` of a done event's JSON data; undefined when it is not there. */
function framesIn(data: string, path: string): number | undefined {
  try {
    const n = jsonPath(path)(JSON.parse(data));
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
