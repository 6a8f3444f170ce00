// One model call per batch: an OpenAI-style chat-completions request with the frames as image_url
// data URLs and the previous answers as text, retried on 429 / 5xx / network errors with the
// server's Retry-After or jittered backoff. Every attempt, wait and status is measured.
import { retryAfterMs, retryDelayMs, retryableStatus, type RetryPolicy } from './retry.js';

export interface ModelCallInput {
  url: string;
  model: string;
  prompt: string;
  context: string;
  images: Array<{ base64: string; mime: string }>;
  maxTokens: number;
  timeoutMs: number;
  policy: RetryPolicy;
  random: () => number;
  /** Sent as Authorization: Bearer when set (never logged). */
  apiKey?: string;
  signal?: AbortSignal;
}

export interface ModelCallResult {
  ok: boolean;
  text: string;
  /** Time of the successful attempt (or the last one), ms. */
  modelMs: number;
  /** All attempts and waits, ms. */
  totalMs: number;
  retries: number;
  status429: number;
  backoffMs: number;
  /** Why it failed in the end (status or error), when !ok. */
  error?: string;
}

/**
 * The request body as bytes. Base64 needs no JSON escaping, so each image goes in as one copy
 * (no JSON.stringify over megabytes of base64, no UTF-8 re-encoding of it).
 */
export function chatBody(input: Pick<ModelCallInput, 'model' | 'prompt' | 'context' | 'images' | 'maxTokens'>): Buffer {
  const text = input.context ? `${input.prompt}\n\nPrevious answers, oldest first:\n${input.context}` : input.prompt;
  const parts: Buffer[] = [Buffer.from(`{"model":${JSON.stringify(input.model)},"max_tokens":${input.maxTokens},"messages":[{"role":"user","content":[{"type":"text","text":${JSON.stringify(text)}}`, 'utf8')];
  for (const img of input.images) {
    parts.push(Buffer.from(`,{"type":"image_url","image_url":{"url":"data:${img.mime};base64,`, 'latin1'), Buffer.from(img.base64, 'latin1'), Buffer.from('"}}', 'latin1'));
  }
  parts.push(Buffer.from(']}]}', 'latin1'));
  return Buffer.concat(parts);
}

function answerText(body: unknown): string | undefined {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return undefined;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export async function callModel(input: ModelCallInput): Promise<ModelCallResult> {
  const body = chatBody(input);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.apiKey) headers.authorization = `Bearer ${input.apiKey}`;
  const began = performance.now();
  const out: ModelCallResult = { ok: false, text: '', modelMs: 0, totalMs: 0, retries: 0, status429: 0, backoffMs: 0 };
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    let wait: number | undefined;
    try {
      const signal = input.signal ? AbortSignal.any([input.signal, AbortSignal.timeout(input.timeoutMs)]) : AbortSignal.timeout(input.timeoutMs);
      const res = await fetch(input.url, { method: 'POST', headers, body: body as unknown as BodyInit, signal });
      const text = await res.text();
      out.modelMs = performance.now() - t0;
      if (res.ok) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const answer = answerText(parsed);
        if (answer !== undefined) {
          out.ok = true;
          out.text = answer;
          break;
        }
        out.error = 'model API answered 200 without choices[0].message.content';
        break;
      }
      if (res.status === 429) out.status429++;
      out.error = `model API answered HTTP ${res.status}`;
      if (!retryableStatus(res.status)) break;
      wait = retryAfterMs(res.headers, Date.now());
    } catch (err) {
      out.modelMs = performance.now() - t0;
      out.error = `model API call failed: ${err instanceof Error ? err.message : String(err)}`;
      if (input.signal?.aborted) break;
    }
    if (attempt >= input.policy.maxRetries) {
      out.error = `${out.error} (gave up after ${out.retries} retries)`;
      break;
    }
    const delay = retryDelayMs(attempt, input.policy, input.random(), wait);
    out.retries++;
    out.backoffMs += delay;
    await sleep(delay, input.signal);
    if (input.signal?.aborted) break;
  }
  out.totalMs = performance.now() - began;
  return out;
}
