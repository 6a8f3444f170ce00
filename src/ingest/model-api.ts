// The mock model API (`bench serve --model-api`): an HTTP server speaking the shape of OpenAI-style
// chat completions (POST /v1/chat/completions, images as image_url data URLs). It answers after a
// latency that grows with the images and the context text it got (lognormal jitter), enforces a
// request rate and a token budget with real 429 responses and Retry-After, and takes chaos orders
// on POST /admin/chaos (throttle: every call 429; slow: latency × factor; fail: a share of 503s).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHistogram, recordUs, summarize } from '../metrics/hdr.js';
import type { LatencySummary } from '../results/types.js';
import { mulberry32 } from '../random.js';
import { sendJson } from '../server/http-respond.js';
import { inspectChatRequest, readBody, type ParsedRequest } from './model-request.js';
import { TokenBucket } from './token-bucket.js';

export interface ModelApiOptions {
  host?: string;
  port?: number;
  /** Latency with no image and no context, ms (median). */
  baseMs?: number;
  perImageMs?: number;
  /** Extra latency per 1000 characters of text (prompt and context). */
  perKCharMs?: number;
  /** Lognormal sigma of the latency multiplier (0 = fixed latency). */
  sigma?: number;
  /** Requests per minute (0 = no limit). */
  rpm?: number;
  /** Tokens per minute (0 = no limit); a request costs images × imageTokens + text/4 + max_tokens. */
  tpm?: number;
  imageTokens?: number;
  maxBodyBytes?: number;
  maxInflight?: number;
  seed?: number;
  onLog?: (line: string) => void;
}

export const MODEL_API_DEFAULTS = {
  host: '127.0.0.1',
  baseMs: 250,
  perImageMs: 30,
  perKCharMs: 4,
  sigma: 0.25,
  rpm: 0,
  tpm: 0,
  imageTokens: 255,
  maxBodyBytes: 64 * 1024 * 1024,
  maxInflight: 1024,
  seed: 1,
} as const;

export type ModelApiChaos = { mode: 'throttle'; durationMs: number } | { mode: 'slow'; durationMs: number; factor: number } | { mode: 'fail'; durationMs: number; rate: number } | { mode: 'clear' };

export interface ModelApiStats {
  requests: number;
  answered: number;
  /** 429s from the rate limit or the token budget. */
  rateLimited: number;
  /** 429s while throttled by chaos. */
  throttled: number;
  /** 503s injected by chaos or because too many calls were in flight. */
  failed: number;
  badRequests: number;
  images: number;
  contextCharsMax: number;
  inflight: number;
  maxInflight: number;
  latencyMs: LatencySummary;
  chaos?: string;
}

export interface ModelApi {
  readonly url: string;
  readonly port: number;
  stats(): ModelApiStats;
  chaos(order: ModelApiChaos): void;
  close(): Promise<void>;
}

export async function startModelApi(options: ModelApiOptions = {}): Promise<ModelApi> {
  const o = { ...MODEL_API_DEFAULTS, ...options };
  const rng = mulberry32(o.seed);
  const start = Date.now();
  const requestsBucket = o.rpm > 0 ? new TokenBucket(o.rpm / 60, Math.max(1, o.rpm / 60), start) : undefined;
  const tokenBucket = o.tpm > 0 ? new TokenBucket(o.tpm / 60, Math.max(1, o.tpm / 60), start) : undefined;
  const latency = createHistogram();
  const s = { requests: 0, answered: 0, rateLimited: 0, throttled: 0, failed: 0, badRequests: 0, images: 0, contextCharsMax: 0, inflight: 0, maxInflight: 0 };
  let chaos: (ModelApiChaos & { untilMs: number }) | undefined;
  let answerId = 0;
  const timers = new Set<NodeJS.Timeout>();

  const activeChaos = (now: number): typeof chaos => {
    if (chaos && chaos.mode !== 'clear' && now >= chaos.untilMs) chaos = undefined;
    return chaos;
  };

  const tooMany = (res: ServerResponse, waitMs: number, why: string): void => {
    const wait = Math.max(1, Math.ceil(Math.min(waitMs, 60_000)));
    sendJson(
      res,
      429,
      { error: { type: 'rate_limit_exceeded', message: `${why}; retry after ${wait} ms` } },
      {
        'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
        'retry-after-ms': String(wait),
      },
    );
  };

  const normal = (): number => {
    const u = Math.max(1e-12, rng());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };

  async function completions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    s.requests++;
    const raw = await readBody(req, o.maxBodyBytes);
    if (raw === 'too-large') {
      s.badRequests++;
      return sendJson(res, 413, { error: { type: 'invalid_request_error', message: `body over ${o.maxBodyBytes} bytes` } });
    }
    let parsed: ParsedRequest | string;
    try {
      parsed = inspectChatRequest(JSON.parse(raw.toString('utf8')));
    } catch {
      parsed = 'body is not JSON';
    }
    if (typeof parsed === 'string') {
      s.badRequests++;
      return sendJson(res, 400, { error: { type: 'invalid_request_error', message: parsed } });
    }
    const now = Date.now();
    const c = activeChaos(now);
    if (c?.mode === 'throttle') {
      s.throttled++;
      return tooMany(res, Math.min(c.untilMs - now, 5000), 'the API is throttling every request');
    }
    if (c?.mode === 'fail' && rng() < c.rate) {
      s.failed++;
      return sendJson(res, 503, { error: { type: 'server_error', message: 'injected failure (chaos)' } });
    }
    if (s.inflight >= o.maxInflight) {
      s.failed++;
      return sendJson(res, 503, { error: { type: 'overloaded', message: `more than ${o.maxInflight} requests in flight` } });
    }
    const cost = parsed.images * o.imageTokens + Math.ceil(parsed.textChars / 4) + parsed.maxTokens;
    if (requestsBucket && !requestsBucket.take(now)) {
      s.rateLimited++;
      return tooMany(res, requestsBucket.waitMs(now), `rate limit of ${o.rpm} requests/min reached`);
    }
    if (tokenBucket && !tokenBucket.take(now, Math.min(cost, tokenBucket.capacity))) {
      s.rateLimited++;
      return tooMany(res, tokenBucket.waitMs(now, Math.min(cost, tokenBucket.capacity)), `token budget of ${o.tpm} tokens/min reached`);
    }
    s.images += parsed.images;
    s.contextCharsMax = Math.max(s.contextCharsMax, parsed.textChars);
    s.inflight++;
    s.maxInflight = Math.max(s.maxInflight, s.inflight);
    const slow = c?.mode === 'slow' ? c.factor : 1;
    const median = o.baseMs + parsed.images * o.perImageMs + (parsed.textChars / 1000) * o.perKCharMs;
    const delay = median * Math.exp(o.sigma * normal()) * slow;
    const began = performance.now();
    const timer = setTimeout(() => {
      timers.delete(timer);
      s.inflight--;
      s.answered++;
      recordUs(latency, (performance.now() - began) * 1000);
      const id = ++answerId;
      const context = parsed.previousAnswers > 0 ? ` Context: ${parsed.previousAnswers} previous answer(s).` : '';
      const text = `Answer ${id}: ${parsed.images} frame(s) seen, moving shapes, no incident.${context}`;
      sendJson(res, 200, {
        id: `mock-${id}`,
        object: 'chat.completion',
        model: 'framebench-mock',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: cost - parsed.maxTokens, completion_tokens: Math.ceil(text.length / 4), total_tokens: cost - parsed.maxTokens + Math.ceil(text.length / 4) },
      });
    }, delay);
    timers.add(timer);
  }

  async function admin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, 64 * 1024);
    let order: ModelApiChaos;
    try {
      order = JSON.parse(raw === 'too-large' ? '' : raw.toString('utf8')) as ModelApiChaos;
    } catch {
      return sendJson(res, 400, { error: 'expected JSON {"mode":"throttle"|"slow"|"fail"|"clear","durationMs":N,"factor"?:N,"rate"?:0..1}' });
    }
    try {
      api.chaos(order);
    } catch (err) {
      return sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
    sendJson(res, 200, { ok: true, chaos: api.stats().chaos ?? 'none' });
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handle = async (): Promise<void> => {
      if (req.method === 'POST' && path === '/v1/chat/completions') return completions(req, res);
      if (req.method === 'POST' && path === '/admin/chaos') return admin(req, res);
      if (req.method === 'GET' && path === '/admin/stats') return sendJson(res, 200, api.stats());
      if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
      sendJson(res, 404, { error: 'not found: POST /v1/chat/completions, POST /admin/chaos, GET /admin/stats, GET /healthz' });
    };
    handle().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;

  const api: ModelApi = {
    url: `http://${host}:${port}/v1/chat/completions`,
    port,
    stats() {
      const c = activeChaos(Date.now());
      return {
        ...s,
        latencyMs: summarize(latency),
        ...(c ? { chaos: c.mode === 'clear' ? 'none' : `${c.mode} for ${Math.max(0, Math.round(c.untilMs - Date.now()))} ms more` } : {}),
      };
    },
    chaos(order) {
      const mode = (order as { mode?: unknown }).mode;
      if (mode === 'clear') {
        chaos = undefined;
        return;
      }
      const durationMs = Number((order as { durationMs?: unknown }).durationMs);
      if (!Number.isFinite(durationMs) || durationMs <= 0) throw new Error('durationMs must be a positive number of milliseconds');
      if (mode === 'throttle') chaos = { mode, durationMs, untilMs: Date.now() + durationMs };
      else if (mode === 'slow') {
        const factor = Number((order as { factor?: unknown }).factor ?? 5);
        if (!(factor >= 1)) throw new Error('factor must be a number ≥ 1');
        chaos = { mode, durationMs, factor, untilMs: Date.now() + durationMs };
      } else if (mode === 'fail') {
        const rate = Number((order as { rate?: unknown }).rate ?? 1);
        if (!(rate >= 0 && rate <= 1)) throw new Error('rate must be a number from 0 to 1');
        chaos = { mode, durationMs, rate, untilMs: Date.now() + durationMs };
      } else throw new Error('mode must be throttle, slow, fail or clear');
      o.onLog?.(`model API chaos: ${mode} for ${durationMs} ms`);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
