// Request and cancel templates: ${name} placeholders filled from the request context. In a JSON
// template a value that is exactly "${name}" keeps the placeholder's type (a number stays a number);
// inside longer text it is interpolated.
import type { RequestContext } from './types.js';

export const PLACEHOLDERS = ['requestId', 'requestNo', 'session', 'clientId', 'fps', 'frames', 'format', 'resolution', 'width', 'height', 'quality', 'transport', 'prompt', 'uuid'] as const;
/** HTTP templates (start, sse, poll) also know the server's stream id and the poll position. */
export const HTTP_PLACEHOLDERS = [...PLACEHOLDERS, 'streamId', 'seq', 'next'] as const;

/** The values of the HTTP templates beyond the request's own. */
export interface HttpVars {
  /** The id the start answer named (start.id); framebench's request id without one. */
  streamId: string | number;
  /** Seq of the last frame received, -1 before the first. */
  seq: number;
  /** seq + 1. */
  next: number;
}
export type TemplateContext = RequestContext & Partial<HttpVars>;
const PATTERN = /\$\{([A-Za-z]+)\}/g;
const WHOLE = /^\$\{([A-Za-z]+)\}$/;

/** Placeholder names used in a template that the context does not provide. */
export function unknownPlaceholders(template: unknown, known: readonly string[] = PLACEHOLDERS): string[] {
  const KNOWN = new Set<string>(known);
  const bad = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(PATTERN)) if (!KNOWN.has(m[1] as string)) bad.add(m[1] as string);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(k), walk(x);
  };
  walk(template);
  return [...bad];
}

const value = (ctx: TemplateContext, name: string): string | number => ctx[name as keyof TemplateContext] ?? '';

function fill(v: unknown, ctx: TemplateContext): unknown {
  if (typeof v === 'string') {
    const whole = WHOLE.exec(v);
    if (whole) return value(ctx, whole[1] as string);
    return v.replace(PATTERN, (_m, name: string) => String(value(ctx, name)));
  }
  if (Array.isArray(v)) return v.map((x) => fill(x, ctx));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[fill(k, ctx) as string] = fill(x, ctx);
    return out;
  }
  return v;
}

/** The message text for a template: JSON for an object template, the filled text for a text one. */
export function renderTemplate(template: string | Record<string, unknown>, ctx: TemplateContext): string {
  if (typeof template === 'string') return template.replace(PATTERN, (_m, name: string) => String(value(ctx, name)));
  return JSON.stringify(fill(template, ctx));
}

/** A URL template filled with every value percent-encoded (a prompt with spaces stays one parameter). */
export function renderUrl(template: string, ctx: TemplateContext): string {
  return template.replace(PATTERN, (_m, name: string) => encodeURIComponent(String(value(ctx, name))));
}
