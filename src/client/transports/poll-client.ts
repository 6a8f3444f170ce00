// HTTP polling client (undici, keep-alive): POST /frames?… creates the stream, then
// GET /frames/{id}/next?after=SEQ fetches frames one request each. Short polling: after a 204 the
// next poll waits for the next tick of a fixed grid (half a frame interval) anchored at the
// request's start; a frame is followed by the next poll at once, so a late poller catches up
// instead of queueing. Long polling (`wait=`) lets the server hold the request until the frame
// is due. 410 carries `done`. Every HTTP request of a measured request is counted.
import { request } from 'undici';
import type { DoneMessage } from '../../protocol/messages.js';
import { isFrame, readRequestId, readSeq, readTimeUs } from '../../protocol/header.js';
import { nowUs } from '../../protocol/clock.js';
import type { ClientContext } from '../client-context.js';
import type { RequestState } from '../request-state.js';
import { HttpStreamClient } from './http-stream-client.js';
import { streamQuery } from './wire-meter.js';

/** Short polls per frame interval. */
export const POLLS_PER_FRAME = 2;
/** The server-side wait a long poll asks for, ms. */
export const LONG_POLL_WAIT_MS = 2000;

/** Delay until the next poll tick after `nowUs` on a grid of `stepUs` from `startUs`, µs. */
export function nextTickDelayUs(startUs: number, stepUs: number, atUs: number): number {
  const k = Math.floor((atUs - startUs) / stepUs) + 1;
  return startUs + k * stepUs - atUs;
}

export class PollClient extends HttpStreamClient {
  private readonly controllers = new Map<number, AbortController>();
  /** Server stream id of each request still open on the server (continuous ones are DELETEd at their end). */
  private readonly streamIds = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly stepUs: number;

  constructor(
    index: number,
    ctx: ClientContext,
    private readonly long: boolean,
  ) {
    super(index, ctx);
    this.stepUs = this.frameIntervalUs / POLLS_PER_FRAME;
  }

  protected open(req: RequestState): void {
    const ac = new AbortController();
    this.controllers.set(req.id, ac);
    void this.run(req, ac.signal).catch((err: unknown) => {
      if (this.current !== req) return;
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      this.ctx.collector.error(`poll_${code}`);
      this.endRequest(req, undefined, false, true);
    });
  }

  protected abort(req: RequestState): void {
    this.controllers.get(req.id)?.abort();
    this.controllers.delete(req.id);
    const id = this.streamIds.get(req.id);
    this.streamIds.delete(req.id);
    if (id !== undefined)
      void request(`${this.origin}/frames/${id}${this.token ? `?token=${encodeURIComponent(this.token)}` : ''}`, { method: 'DELETE', dispatcher: this.meter.agent }).then(
        (r) => r.body.dump(),
        () => {},
      );
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async call(req: RequestState, method: 'GET' | 'POST', path: string, signal: AbortSignal): Promise<{ status: number; body: Buffer }> {
    if (req.measured) this.ctx.collector.httpRequest();
    const res = await request(`${this.origin}${path}`, { method, dispatcher: this.meter.agent, signal });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, body };
  }

  private fail(req: RequestState, kind: string): void {
    this.ctx.collector.error(kind);
    this.endRequest(req, undefined, false, true);
  }

  private async run(req: RequestState, signal: AbortSignal): Promise<void> {
    const created = await this.call(req, 'POST', `/frames?${streamQuery(this.ctx.params, this.requested, req.id, this.token)}`, signal);
    if (this.current !== req) return;
    if (created.status !== 201) return this.fail(req, `poll_http_${created.status}`);
    const id = (JSON.parse(created.body.toString()) as { id: string }).id;
    this.streamIds.set(req.id, id);
    const tokenQ = this.token ? `&token=${encodeURIComponent(this.token)}` : '';
    const wait = this.long ? `&wait=${LONG_POLL_WAIT_MS}` : '';
    const startUs = nowUs();
    let after = -1;
    for (;;) {
      const r = await this.call(req, 'GET', `/frames/${id}/next?after=${after}${wait}${tokenQ}`, signal);
      if (this.current !== req) return;
      if (r.status === 200) {
        if (!isFrame(r.body)) return this.fail(req, 'bad_frame');
        this.ctx.collector.binaryMessage();
        const seq = readSeq(r.body);
        this.onFrame(req, readRequestId(r.body), seq, readTimeUs(r.body));
        after = Math.max(after, seq);
        continue;
      }
      if (r.status === 410) {
        this.streamIds.delete(req.id);
        const done = JSON.parse(r.body.toString()) as DoneMessage;
        return this.endRequest(req, done.frames, true);
      }
      if (r.status !== 204) return this.fail(req, `poll_http_${r.status}`);
      if (!this.long) await this.sleep(nextTickDelayUs(startUs, this.stepUs, nowUs()) / 1000, signal);
      if (this.current !== req) return;
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(this.timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
