// The shared part of the SSE and polling clients for targets described by a declarative
// `protocol:` block: starting a stream (protocol.start: a POST whose JSON answer names the stream
// id), filling URL templates, and placing what the adapter classified (frame / done / error /
// ignore) into the same accounting as every other client. A stream ends with a done (event,
// matcher or status), once the frames asked for arrived (end.frames), or after end.idle without
// a frame; its missing frames are lost.
import { request } from 'undici';
import { FRAME_WITHOUT_PAYLOAD, START_WITHOUT_ID } from '../../metrics/http-protocol-reasons.js';
import { nowUs } from '../../protocol/clock.js';
import { jsonPath } from '../../protocol/adapters/fields.js';
import type { HttpProtocol } from '../../protocol/adapters/http-protocol.js';
import { renderTemplate, renderUrl, type TemplateContext } from '../../protocol/adapters/template.js';
import { Classified, sameId, type ProtocolAdapter, type RequestContext } from '../../protocol/adapters/types.js';
import type { ClientContext } from '../client-context.js';
import type { RequestState } from '../request-state.js';
import { cellDims, checkFrameImage, errorKind, requestContext } from '../stream-context.js';
import { HttpStreamClient } from './http-stream-client.js';

/** Largest answer body read from a start request or a poll (a frame is far smaller). */
export const MAX_HTTP_BODY_BYTES = 32 * 1024 * 1024;

export abstract class AdapterHttpClient extends HttpStreamClient {
  protected readonly adapter: ProtocolAdapter;
  protected readonly http: HttpProtocol;
  protected readonly msg = new Classified();
  protected readonly controllers = new Map<number, AbortController>();
  private readonly dims: { width: number; height: number };
  private readonly session: string;
  private lastFrameAtUs = 0;
  private validateCountdown: number;

  constructor(index: number, ctx: ClientContext) {
    super(index, ctx);
    this.adapter = ctx.adapter;
    this.http = ctx.adapter.http ?? {};
    this.dims = cellDims(ctx.params);
    this.session = `${ctx.sessionPrefix}-${index}`;
    this.validateCountdown = 1 + (index % Math.max(1, this.adapter.validateEvery));
  }

  /** HTTP requests are counted per frame (polling; an SSE stream is one long request). */
  protected abstract readonly countsRequests: boolean;
  /** Streams `req` once its stream id is known (the transport's part). */
  protected abstract stream(req: RequestState, vars: TemplateContext, signal: AbortSignal): Promise<void>;

  protected open(req: RequestState): void {
    const ac = new AbortController();
    this.controllers.set(req.id, ac);
    this.lastFrameAtUs = 0;
    void this.run(req, ac.signal).catch((err: unknown) => {
      if (this.current !== req) return;
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      this.fail(req, `http_${code}`);
    });
  }

  protected abort(req: RequestState): void {
    this.controllers.get(req.id)?.abort();
    this.controllers.delete(req.id);
  }

  protected fail(req: RequestState, kind: string): void {
    this.ctx.collector.error(kind);
    this.endRequest(req, undefined, false, true);
  }

  /** end.idle: a stream without a frame for that long ends; its missing frames are lost. */
  override heartbeat(nowAtUs: number): void {
    const req = this.current;
    const idleUs = this.adapter.idleEndUs;
    if (!req || idleUs <= 0) return;
    const last = req.received > 0 ? this.lastFrameAtUs : req.sentAtUs;
    if (nowAtUs - last <= idleUs) return;
    const complete = req.requested > 0 && req.received >= req.requested;
    if (!complete) this.ctx.collector.error(req.received > 0 ? 'stream_idle_timeout' : 'no_frames_timeout');
    this.endRequest(req, undefined, complete, !complete);
  }

  private context(req: RequestState): RequestContext {
    const wire = this.adapter.wireId(req.id, this.session);
    return requestContext(this.adapter, this.ctx.params, this.dims, this.index, this.session, req.id, wire, this.requested);
  }

  private async run(req: RequestState, signal: AbortSignal): Promise<void> {
    const base = this.context(req);
    const vars: TemplateContext = { ...base, streamId: base.requestId, seq: -1, next: 0 };
    const start = this.http.start;
    if (start) {
      const body = start.body === undefined ? undefined : renderTemplate(start.body, vars);
      const headers: Record<string, string> = { ...start.headers };
      if (body !== undefined && typeof start.body === 'object') headers['content-type'] ??= 'application/json';
      if (req.measured && this.countsRequests) this.ctx.collector.httpRequest();
      const res = await request(`${this.origin}${renderUrl(start.url, vars)}`, { method: start.method, headers, ...(body !== undefined ? { body } : {}), dispatcher: this.meter.agent, signal });
      const answer = await readBody(res.body, res.headers['content-length']);
      if (this.current !== req) return;
      if (res.statusCode < 200 || res.statusCode >= 300) return this.fail(req, `start_http_${res.statusCode}`);
      if (start.id !== undefined) {
        let id: unknown;
        try {
          id = jsonPath(start.id)(JSON.parse(answer.toString()));
        } catch {
          id = undefined;
        }
        // fail closed: the field protocol.start.id names is not in the answer
        if (typeof id !== 'string' && typeof id !== 'number') return this.fail(req, START_WITHOUT_ID);
        vars.streamId = id;
      }
    }
    await this.stream(req, vars, signal);
  }

  /**
   * Places one classified message of `req`'s stream; true when the request ended with it. A frame
   * naming another stream (frames.json.requestId) is an error, not a frame of this one.
   */
  protected place(req: RequestState, vars: TemplateContext, m: Classified, data: Buffer): boolean {
    const c = this.ctx.collector;
    switch (m.kind) {
      case 'frame': {
        if (m.requestId !== undefined && !sameId(m.requestId, vars.streamId!) && !sameId(m.requestId, vars.requestId)) {
          c.error('frame_for_another_stream');
          return false;
        }
        const seq = m.seq >= 0 ? m.seq : req.received;
        this.lastFrameAtUs = nowUs();
        this.onFrame(req, req.id, seq, m.timeUs, m.payloadBytes);
        vars.seq = Math.max(vars.seq ?? -1, seq);
        vars.next = vars.seq + 1;
        const every = this.adapter.validateEvery;
        if (every > 0 && --this.validateCountdown <= 0) {
          this.validateCountdown = every;
          checkFrameImage(m, data, this.ctx.params, this.dims, c);
        }
        if (this.adapter.endOnFrames && req.requested > 0 && req.received >= req.requested) {
          this.endRequest(req, undefined, true);
          return true;
        }
        return false;
      }
      case 'done':
        this.endRequest(req, m.frames, true);
        return true;
      case 'error':
        this.fail(req, errorKind(m.code));
        return true;
      case 'unrecognized':
        c.error(m.message === 'frame message without a payload' ? FRAME_WITHOUT_PAYLOAD : m.code);
        return false;
      default:
        return false;
    }
  }
}

/** Reads an answer body within MAX_HTTP_BODY_BYTES (a larger one is an error, not a memory spike). */
export async function readBody(body: AsyncIterable<Buffer> & { dump(): Promise<void> }, length: string | string[] | undefined): Promise<Buffer> {
  if (Number(length) > MAX_HTTP_BODY_BYTES) {
    await body.dump().catch(() => undefined);
    throw Object.assign(new Error(`answer over ${MAX_HTTP_BODY_BYTES} bytes`), { code: 'answer_too_large' });
  }
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > MAX_HTTP_BODY_BYTES) throw Object.assign(new Error(`answer over ${MAX_HTTP_BODY_BYTES} bytes`), { code: 'answer_too_large' });
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
