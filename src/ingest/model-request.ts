// What the mock model API reads from a request: the body (bounded) and, from a chat-completions
// body, the images, the text and the previous answers it carries.
import type { IncomingMessage } from 'node:http';

export interface ParsedRequest {
  images: number;
  textChars: number;
  previousAnswers: number;
  maxTokens: number;
}

/** Counts images, text and the previous answers ("[answer N] …" lines) in a chat-completions body. */
export function inspectChatRequest(body: unknown): ParsedRequest | string {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { messages?: unknown }).messages)) {
    return 'expected a JSON body with "messages": [{ role, content }]';
  }
  let images = 0;
  let textChars = 0;
  let previousAnswers = 0;
  for (const m of (body as { messages: unknown[] }).messages) {
    const content = (m as { content?: unknown } | null)?.content;
    const parts = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
    for (const p of parts as Array<{ type?: unknown; text?: unknown }>) {
      if (p?.type === 'image_url') images++;
      else if (p?.type === 'text' && typeof p.text === 'string') {
        textChars += p.text.length;
        previousAnswers += p.text.match(/^\[answer \d+\]/gm)?.length ?? 0;
      }
    }
  }
  const maxTokens = Number((body as { max_tokens?: unknown }).max_tokens ?? 64);
  return { images, textChars, previousAnswers, maxTokens: Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : 64 };
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
