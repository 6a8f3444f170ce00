// The reference ingestion server (`bench serve --ingest`): two loops per camera connection.
//   receiver   — on each frame message: check limits (size, frames/s), append to a bounded buffer
//                (full → drop the oldest, tell the camera, count it), ack;
//   dispatcher — every `intervalMs`: take up to `batchSize` of the oldest buffered frames, send them
//                with the previous answers' text (bounded context) to the model API in one request
//                (429s retried with backoff), and send the answer down the socket.
// GET /stats gives the counters (buffer depth, drops, 429s, retries, model latency, context size).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createHistogram, recordUs, summarize } from '../metrics/hdr.js';
import { mulberry32 } from '../random.js';
import { releaseMessageBuffers, trackMessageBuffers } from '../protocol/ws-message-release.js';
import { sendJson } from '../server/http-respond.js';
import { ContextWindow } from './context-window.js';
import { FrameBuffer } from './frame-buffer.js';
import { IngestCounters, type IngestStats } from './ingest-stats.js';
import { callModel } from './model-client.js';
import { imageOf } from './batch-images.js';
import { INGEST_DEFAULTS, type IngestServerOptions } from './ingest-options.js';
import { RETRY_DEFAULTS } from './retry.js';
import { TokenBucket } from './token-bucket.js';
import { parseUploadFrame, WireError, type DropReason, type IngestServerMessage, type UploadFrame } from './wire.js';

export { INGEST_DEFAULTS, type IngestServerOptions } from './ingest-options.js';

export interface IngestServer {
  readonly url: string;
  readonly port: number;
  stats(): IngestStats;
  close(opts?: { graceful?: boolean }): Promise<void>;
}

interface Buffered {
  frame: UploadFrame;
  receivedAtMs: number;
}

export async function startIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const o = { ...INGEST_DEFAULTS, retry: RETRY_DEFAULTS, ...options };
  const counters = new IngestCounters();
  const modelLatency = createHistogram();
  const intervalHist = createHistogram();
  const rng = mulberry32(o.seed);
  const closing = new AbortController();
  let inflight = 0;
  let bufferedBytes = 0;
  let batchId = 0;
  const streams = new Set<Stream>();

  class Stream {
    readonly buffer = new FrameBuffer<Buffered>(o.bufferFrames);
    readonly context = new ContextWindow(o.contextChars);
    /** Started at the first frame's capture time (a reconnected camera's backlog was captured before this connection). */
    bucket: TokenBucket | undefined;
    readonly timer: NodeJS.Timeout;
    busy = false;
    ending = false;
    closed = false;
    lastDispatchMs = 0;
    received = 0;
    covered = 0;
    dropped = 0;
    readonly droppedByReason: Partial<Record<DropReason, number>> = {};

    constructor(readonly ws: WebSocket) {
      this.timer = setInterval(() => this.dispatch(), o.intervalMs);
    }

    send(msg: IngestServerMessage): void {
      if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
    }

    drop(seqs: number[], reason: DropReason, detail?: string): void {
      if (seqs.length === 0) return;
      this.dropped += seqs.length;
      this.droppedByReason[reason] = (this.droppedByReason[reason] ?? 0) + seqs.length;
      counters.drop(reason, seqs.length);
      this.send({ type: 'dropped', seqs, reason, ...(detail ? { detail } : {}) });
    }

    release(items: Buffered[]): void {
      for (const b of items) bufferedBytes -= b.frame.imageBytes;
      counters.bufferDepth -= items.length;
    }

    onFrame(frame: UploadFrame): void {
      this.received++;
      counters.framesReceived++;
      const now = Date.now();
      if (frame.imageBytes > o.maxFrameBytes) {
        counters.tooLarge++;
        this.send({
          type: 'error',
          code: 'frame_too_large',
          seq: frame.seq,
          message: `frame ${frame.seq} carries ${frame.imageBytes} image bytes; this server accepts at most ${o.maxFrameBytes} (--max-frame-bytes): downscale or recompress`,
        });
        return this.drop([frame.seq], 'frame_too_large');
      }
      // the camera's rate by its own capture times: frames its socket or this server's loop held back and
      // delivered together are not a camera sending too fast
      const clock = frame.capturedAtMs > 0 ? frame.capturedAtMs : now;
      this.bucket ??= new TokenBucket(o.maxFps, Math.max(1, o.maxFps), clock);
      if (!this.bucket.take(clock)) {
        counters.rateLimited++;
        this.send({ type: 'error', code: 'rate_limited', seq: frame.seq, message: `more than ${o.maxFps} frames/s on this connection (--max-fps); frame ${frame.seq} was not buffered: send fewer frames per second` });
        return this.drop([frame.seq], 'rate_limited');
      }
      const evicted = this.buffer.push({ frame, receivedAtMs: now });
      counters.bufferDepth++;
      bufferedBytes += frame.imageBytes;
      if (evicted) {
        this.release([evicted]);
        this.drop([evicted.frame.seq], 'buffer_overflow', `buffer of ${o.bufferFrames} frames full (model API slower than the camera)`);
      }
      while (bufferedBytes > o.maxBufferBytes && this.buffer.length > 1) {
        const [old] = this.buffer.take(1);
        if (!old) break;
        this.release([old]);
        this.drop([old.frame.seq], 'buffer_overflow', `server-wide buffer of ${o.maxBufferBytes} bytes full`);
      }
      counters.noteDepth(this.buffer.length);
      if (o.ack) this.send({ type: 'ack', seq: frame.seq, depth: this.buffer.length });
    }

    onEnd(): void {
      this.ending = true;
      this.dispatch();
    }

    finishIfDone(): void {
      if (!this.ending || this.busy || this.buffer.length > 0) return;
      this.send({ type: 'done', received: this.received, covered: this.covered, dropped: this.dropped, droppedByReason: this.droppedByReason });
    }

    dispatch(): void {
      if (this.closed) return;
      if (this.busy) {
        counters.deferred++;
        return;
      }
      if (this.buffer.length === 0) return this.finishIfDone();
      if (inflight >= o.maxInflight) {
        counters.deferred++;
        return;
      }
      const depthBefore = this.buffer.length;
      const batch = this.buffer.take(o.batchSize);
      this.release(batch);
      const now = performance.now();
      if (this.lastDispatchMs > 0) recordUs(intervalHist, (now - this.lastDispatchMs) * 1000);
      this.lastDispatchMs = now;
      this.busy = true;
      inflight++;
      const id = ++batchId;
      const context = this.context;
      counters.batches++;
      counters.batchFrames += batch.length;
      counters.contextCharsMax = Math.max(counters.contextCharsMax, context.size);
      const images = batch.map(({ frame }) => imageOf(frame));
      const contextChars = context.size;
      const contextAnswers = context.count;
      void callModel({
        url: o.modelUrl,
        model: o.model,
        prompt: o.prompt,
        context: context.render(),
        images,
        maxTokens: o.maxTokens,
        timeoutMs: o.modelTimeoutMs,
        policy: o.retry,
        random: rng,
        apiKey: o.apiKey,
        signal: closing.signal,
      }).then((r) => {
        inflight--;
        this.busy = false;
        counters.modelCalls++;
        counters.api429 += r.status429;
        counters.retries += r.retries;
        counters.backoffMs += r.backoffMs;
        const seqs = batch.map((b) => b.frame.seq);
        if (this.closed) {
          counters.framesAbandoned += seqs.length;
          return;
        }
        if (r.ok) {
          recordUs(modelLatency, r.modelMs * 1000);
          this.covered += seqs.length;
          counters.framesCovered += seqs.length;
          this.send({ type: 'answer', batch: id, seqs, text: r.text, contextChars, contextAnswers, modelMs: Math.round(r.modelMs * 10) / 10, retries: r.retries, bufferDepth: depthBefore });
          context.add(id, r.text);
        } else {
          counters.modelFailures++;
          o.onLog?.(`batch ${id}: ${r.error ?? 'model call failed'}`);
          this.drop(seqs, 'model_failed', r.error);
        }
        if (this.ending) this.dispatch();
      });
    }

    close(): void {
      if (this.closed) return;
      this.closed = true;
      clearInterval(this.timer);
      const left = this.buffer.clear();
      this.release(left);
      counters.framesAbandoned += left.length;
      streams.delete(this);
    }
  }

  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/stats' || path === '/admin/stats')) return sendJson(res, 200, api.stats());
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    sendJson(res, 404, { error: 'not found: WebSocket upgrade on any path, GET /stats, GET /healthz' });
  });
  const maxPayload = Math.ceil(o.maxFrameBytes * (4 / 3) * 2) + 64 * 1024;
  const wss = new WebSocketServer({ server: http, maxPayload, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    if (streams.size >= o.maxConnections) {
      counters.refused++;
      ws.close(1013, `more than ${o.maxConnections} connections (--max-connections)`);
      return;
    }
    const stream = new Stream(ws);
    streams.add(stream);
    counters.connectionsTotal++;
    trackMessageBuffers(ws);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      releaseMessageBuffers(ws);
      let parsed: ReturnType<typeof parseUploadFrame>;
      try {
        parsed = parseUploadFrame(data, isBinary);
      } catch (err) {
        counters.badFrames++;
        stream.send({ type: 'error', code: 'bad_frame', message: err instanceof WireError ? err.message : String(err) });
        return;
      }
      if ('type' in parsed) stream.onEnd();
      else stream.onFrame(parsed);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counters.tooLarge++;
    });
    ws.on('close', () => stream.close());
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port ?? 0, o.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  const startedAt = Date.now();

  const api: IngestServer = {
    url: `ws://${host}:${port}/`,
    port,
    stats: () => counters.snapshot({ connections: streams.size, inflight, bufferedBytes, uptimeSec: (Date.now() - startedAt) / 1000, modelLatencyMs: summarize(modelLatency), intervalMs: summarize(intervalHist) }),
    async close({ graceful = true } = {}) {
      for (const s of [...streams]) {
        if (graceful) {
          const left = s.buffer.clear();
          s.release(left);
          s.drop(
            left.map((b) => b.frame.seq),
            'shutdown',
            'server shutting down',
          );
          s.ws.close(1001, 'server shutting down');
        } else s.ws.terminate();
        s.close();
      }
      closing.abort();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return api;
}
