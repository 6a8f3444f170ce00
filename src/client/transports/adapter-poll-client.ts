// Polling client for a team's server described by `protocol:` (start, poll, frames, done, error,
// ignore): GET protocol.poll.url (${streamId}, ${seq}, ${next}) one request per answer on the
// client's keep-alive agent. A JSON answer is read with the frames.json / done / error / ignore
// rules, any other body with frames.binary; poll.empty statuses, empty bodies and answers matching
// ignore mean "no frame yet", poll.done statuses end the stream. Short polling waits poll.interval (default
// half a frame interval) after an empty answer, on a grid anchored at the stream's start; long
// polling asks again at once (the server holds the request), at least MIN_LONG_POLL_GAP_MS apart.
import { request } from 'undici';
import { nowUs } from '../../protocol/clock.js';
import { renderUrl, type TemplateContext } from '../../protocol/adapters/template.js';
import type { ClientContext } from '../client-context.js';
import type { RequestState } from '../request-state.js';
import { AdapterHttpClient, readBody } from './adapter-http-client.js';
import { nextTickDelayUs, POLLS_PER_FRAME } from './poll-client.js';

/** A long-polling server that answers empty at once is not hammered in a tight loop. */
export const MIN_LONG_POLL_GAP_MS = 5;

/** True when a poll answer is JSON text (by content type, else by its first byte). */
export function isJsonAnswer(contentType: string | undefined, body: Buffer): boolean {
  if (contentType) return /json|^text\//i.test(contentType);
  const first = body[0];
  return first === 0x7b || first === 0x5b;
}

export class AdapterPollClient extends AdapterHttpClient {
  protected readonly countsRequests = true;
  private readonly stepUs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    index: number,
    ctx: ClientContext,
    private readonly long: boolean,
  ) {
    super(index, ctx);
    this.stepUs = this.http.pollIntervalUs ?? (long ? MIN_LONG_POLL_GAP_MS * 1000 : this.frameIntervalUs / POLLS_PER_FRAME);
  }

  protected override abort(req: RequestState): void {
    super.abort(req);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  protected async stream(req: RequestState, vars: TemplateContext, signal: AbortSignal): Promise<void> {
    const poll = this.http.poll!;
    const c = this.ctx.collector;
    const startUs = nowUs();
    for (;;) {
      if (req.measured) c.httpRequest();
      const sentUs = nowUs();
      const res = await request(`${this.origin}${renderUrl(poll.url, vars)}`, { method: 'GET', headers: poll.headers, dispatcher: this.meter.agent, signal });
      const body = await readBody(res.body, res.headers['content-length']);
      if (this.current !== req) return;
      const status = res.statusCode;
      // an empty 2xx body is "no frame yet" too, never a zero-byte frame
      let empty = poll.empty.includes(status) || (body.length === 0 && status >= 200 && status < 300 && !poll.done.includes(status));
      if (!empty && poll.done.includes(status)) {
        const m = this.msg;
        m.clear('ignore');
        if (body.length > 0 && isJsonAnswer(header(res.headers['content-type']), body)) this.adapter.classify(body, false, m);
        return this.endRequest(req, m.kind === 'done' ? m.frames : undefined, true);
      }
      if (!empty && (status < 200 || status >= 300)) return this.fail(req, `poll_http_${status}`);
      if (!empty) {
        const text = isJsonAnswer(header(res.headers['content-type']), body);
        if (text) c.textMessage();
        else c.binaryMessage();
        const m = this.msg;
        this.adapter.classify(body, !text, m);
        if (this.place(req, vars, m, body)) return;
        if (this.current !== req) return;
        // a frame: ask for the next at once (a late poller catches up); anything else waits like an empty answer
        empty = m.kind !== 'frame';
      }
      if (empty) await this.sleep(this.long ? Math.max(0, this.stepUs - (nowUs() - sentUs)) / 1000 : nextTickDelayUs(startUs, this.stepUs, nowUs()) / 1000, signal);
      if (this.current !== req) return;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(this.timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
