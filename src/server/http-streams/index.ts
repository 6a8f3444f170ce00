// The reference server's HTTP frame transports beside WebSocket: Server-Sent Events (GET /sse) and
// polling (POST /frames, GET /frames/{id}/next, DELETE /frames/{id}). Bounded: at most
// `maxStreams` HTTP streams at once (503 beyond), polling streams expire after `idleMs` without a
// poll, long polls wait at most `maxWaitMs`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nowUs } from '../../protocol/clock.js';
import type { ServerContext } from '../server-context.js';
import { sendJson, unauthorized } from '../http-respond.js';
import { isAuthorized } from '../http.js';
import { intParam, parseStreamQuery } from './query.js';
import { newStreamId, nextAnswer, PollStream, sendDone, sendPollFrame, type PollLimits } from './poll.js';
import { SseStream } from './sse.js';

export interface HttpStreamOptions {
  token: string | undefined;
  maxStreams: number;
  idleMs: number;
  limits: PollLimits;
}

export const HTTP_STREAM_DEFAULTS = { maxStreams: 10_000, idleMs: 30_000, limits: { replayFrames: 64, maxWaitMs: 30_000 } } as const;

const FRAMES_PATH = /^\/frames\/([A-Za-z0-9]{1,64})(\/next)?$/;

export class HttpStreams {
  private readonly sse = new Set<SseStream>();
  private readonly polls = new Map<string, PollStream>();
  private created = 0;
  private closed = false;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly ctx: ServerContext,
    private readonly opts: HttpStreamOptions,
  ) {
    this.sweep = setInterval(() => this.expire(), Math.min(5000, opts.idleMs));
    this.sweep.unref();
  }

  get size(): number {
    return this.sse.size + this.polls.size;
  }

  /** Answers the request when it is one of these routes; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const m = req.method ?? 'GET';
    const isSse = path === '/sse' && m === 'GET';
    const isCreate = path === '/frames' && m === 'POST';
    const match = FRAMES_PATH.exec(path);
    if (!isSse && !isCreate && !match) return false;
    if (this.opts.token !== undefined && !isAuthorized(req, this.opts.token)) {
      unauthorized(res);
      return true;
    }
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    if (isSse) this.openSse(req, res, query);
    else if (isCreate) this.createPoll(req, res, query);
    else if (match?.[2] && m === 'GET') this.next(res, match[1]!, query);
    else if (match && !match[2] && m === 'DELETE') this.cancel(res, match[1]!);
    else sendJson(res, 405, { error: `method ${m} not allowed on ${path}; GET /frames/{id}/next, DELETE /frames/{id}` });
    return true;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweep);
    for (const s of this.sse) s.stop();
    for (const p of this.polls.values()) this.removePoll(p);
  }

  private full(res: ServerResponse): boolean {
    if (this.closed) {
      sendJson(res, 503, { error: 'server shutting down' });
      return true;
    }
    if (this.size < this.opts.maxStreams) return false;
    this.ctx.stats.errors++;
    sendJson(res, 503, { error: `too many HTTP streams (limit ${this.opts.maxStreams}); end some or raise the limit` }, { 'retry-after': '1' });
    return true;
  }

  private openSse(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const g = parseStreamQuery(query);
    if (g.type === 'error') return sendJson(res, 400, { error: g.message });
    if (this.full(res)) return;
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    this.ctx.frames.get({ format: g.format, width: g.width, height: g.height, quality: g.quality }).then(
      (frames) => {
        if (gone || this.closed) return;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.flushHeaders();
        const stream = new SseStream(res, g.requestId, frames, g.fps, g.frames, nowUs(), this.ctx.timing, this.ctx.stats, this.ctx.maxBufferBytes, (s) => {
          this.sse.delete(s);
          this.ctx.stats.activeRequests--;
        });
        this.sse.add(stream);
        this.ctx.stats.requests++;
        this.ctx.stats.activeRequests++;
        res.on('close', () => stream.stop());
        this.ctx.scheduler.add(stream);
      },
      (err: unknown) => {
        if (!gone) sendJson(res, 500, { error: `frames unavailable: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
    void req;
  }

  private createPoll(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    req.resume();
    const g = parseStreamQuery(query);
    if (g.type === 'error') return sendJson(res, 400, { error: g.message });
    if (this.full(res)) return;
    this.ctx.frames.get({ format: g.format, width: g.width, height: g.height, quality: g.quality }).then(
      (frames) => {
        if (this.closed) return sendJson(res, 503, { error: 'server shutting down' });
        const id = newStreamId(this.created++);
        const stream = new PollStream(id, g.requestId, frames, g.fps, g.frames, nowUs(), this.ctx.timing.delayUs);
        this.polls.set(id, stream);
        this.ctx.stats.requests++;
        this.ctx.stats.activeRequests++;
        sendJson(res, 201, { id, requestId: g.requestId, fps: g.fps, frames: g.frames, next: `/frames/${id}/next?after=-1` });
      },
      (err: unknown) => sendJson(res, 500, { error: `frames unavailable: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }

  private next(res: ServerResponse, id: string, query: URLSearchParams): void {
    const s = this.polls.get(id);
    if (!s) return sendJson(res, 404, { error: `no polling stream ${id} (finished, cancelled or expired after ${this.opts.idleMs} ms idle)` });
    const after = intParam(query, 'after', -1, -1, 2 ** 32 - 1);
    if (typeof after === 'string') return sendJson(res, 400, { error: after });
    const wait = intParam(query, 'wait', 0, 0, this.opts.limits.maxWaitMs);
    if (typeof wait === 'string') return sendJson(res, 400, { error: wait });
    if (s.held) return sendJson(res, 409, { error: `stream ${id} already has a long poll waiting; poll one at a time` });
    s.lastPollMs = Date.now();
    this.answer(res, s, after, wait, nowUs());
  }

  private answer(res: ServerResponse, s: PollStream, after: number, waitMs: number, startUs: number): void {
    const now = nowUs();
    const a = nextAnswer(s, after, now, this.opts.limits);
    if (a.kind === 'frame') return void sendPollFrame(res, s, a.seq, this.ctx.stats);
    if (a.kind === 'done') {
      sendDone(res, s, now);
      return this.removePoll(s);
    }
    const deadlineUs = startUs + waitMs * 1000;
    if (a.kind === 'none' || now >= deadlineUs) {
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const untilUs = Math.min(a.untilUs, deadlineUs);
    const onClose = (): void => {
      if (s.held) clearTimeout(s.held);
      s.held = undefined;
    };
    res.once('close', onClose);
    s.held = setTimeout(
      () => {
        s.held = undefined;
        res.off('close', onClose);
        if (!this.polls.has(s.id)) return sendJson(res, 404, { error: `polling stream ${s.id} ended while waiting` });
        s.lastPollMs = Date.now();
        this.answer(res, s, after, waitMs, startUs);
      },
      Math.max(0, Math.ceil((untilUs - now) / 1000)),
    );
  }

  private cancel(res: ServerResponse, id: string): void {
    const s = this.polls.get(id);
    if (!s) return sendJson(res, 404, { error: `no polling stream ${id}` });
    sendJson(res, 200, s.done(nowUs()));
    this.removePoll(s);
  }

  private removePoll(s: PollStream): void {
    if (!this.polls.delete(s.id)) return;
    if (s.held) clearTimeout(s.held);
    s.held = undefined;
    this.ctx.stats.activeRequests--;
  }

  private expire(): void {
    const cutoff = Date.now() - this.opts.idleMs;
    for (const s of this.polls.values()) if (s.lastPollMs < cutoff && !s.held) this.removePoll(s);
  }
}
