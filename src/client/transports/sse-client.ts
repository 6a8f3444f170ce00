// Server-Sent Events client: each generate request is one EventSource (the `eventsource` package)
// on GET /sse?…, fetched through the client's keep-alive, byte-counting undici agent. `frame`
// events carry the base64-json frame; `done` ends the request (the EventSource is closed so it
// never auto-reconnects into a new stream).
import { EventSource, type ErrorEvent } from 'eventsource';
import { fetch as undiciFetch } from 'undici';
import type { FrameMessage, DoneMessage } from '../../protocol/messages.js';
import type { RequestState } from '../request-state.js';
import { HttpStreamClient } from './http-stream-client.js';
import { streamQuery } from './wire-meter.js';

type FetchLike = NonNullable<ConstructorParameters<typeof EventSource>[1]>['fetch'];

export class SseClient extends HttpStreamClient {
  private readonly sources = new Map<number, EventSource>();
  /** Requests that ended with `done`: their EventSource is closed once the response has ended (keeps the connection alive). */
  private readonly finished = new Set<number>();
  private readonly fetch: FetchLike = ((url: string | URL, init: object) => undiciFetch(url, { ...init, dispatcher: this.meter.agent } as Parameters<typeof undiciFetch>[1])) as unknown as FetchLike;

  protected open(req: RequestState): void {
    const url = `${this.origin}/sse?${streamQuery(this.ctx.params, this.requested, req.id, this.token)}`;
    const es = new EventSource(url, { fetch: this.fetch });
    this.sources.set(req.id, es);
    const c = this.ctx.collector;
    es.addEventListener('frame', (ev) => {
      c.textMessage();
      let msg: FrameMessage;
      try {
        msg = JSON.parse(ev.data) as FrameMessage;
      } catch {
        c.error('bad_json_from_server');
        return;
      }
      this.onFrame(req, msg.requestId, msg.seq, msg.timeUs);
    });
    es.addEventListener('done', (ev) => {
      c.textMessage();
      let frames: number | undefined;
      try {
        frames = (JSON.parse(ev.data) as DoneMessage).frames;
      } catch {
        c.error('bad_json_from_server');
      }
      this.finished.add(req.id);
      this.endRequest(req, frames, frames !== undefined);
    });
    es.addEventListener('error', (ev: ErrorEvent) => {
      if (this.current !== req) {
        // After done: the response ended and EventSource would reconnect; it is closed instead.
        es.close();
        return;
      }
      c.error(ev.code ? `sse_http_${ev.code}` : 'sse_disconnected');
      this.endRequest(req, undefined, false, true);
    });
  }

  protected abort(req: RequestState): void {
    const es = this.sources.get(req.id);
    this.sources.delete(req.id);
    if (!es) return;
    if (!this.finished.delete(req.id)) return es.close();
    // Closing now would abort the response and with it the keep-alive socket; wait for its end.
    const timer = setTimeout(() => es.close(), 1000);
    es.addEventListener('error', () => clearTimeout(timer));
  }
}
