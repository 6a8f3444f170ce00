// Stream parameters of the HTTP transports (SSE and polling) from a query string, validated by the
// same rules as a WebSocket `generate` message.
import { ERROR_CODES, type ErrorMessage } from '../../protocol/messages.js';
import { parseClientMessage, type ValidGenerate } from '../parse-message.js';

const DEFAULTS = { format: 'webp', resolution: '480p', quality: '75', fps: '30', frames: '30', requestId: '1' } as const;

function numeric(s: string): number | string {
  const v = Number(s);
  return s.trim() !== '' && Number.isFinite(v) ? v : s;
}

/** The generate request a query names (format, resolution, quality, fps, frames, requestId, session). */
export function parseStreamQuery(params: URLSearchParams): ValidGenerate | ErrorMessage {
  const get = (k: keyof typeof DEFAULTS): string => params.get(k) ?? DEFAULTS[k];
  const msg: Record<string, unknown> = {
    type: 'generate',
    requestId: numeric(get('requestId')),
    format: get('format'),
    resolution: get('resolution'),
    quality: numeric(get('quality')),
    fps: numeric(get('fps')),
    frames: numeric(get('frames')),
  };
  const session = params.get('session');
  if (session !== null) msg.session = session;
  const parsed = parseClientMessage(JSON.stringify(msg));
  if (parsed.type === 'generate' || parsed.type === 'error') return parsed;
  return { type: 'error', code: ERROR_CODES.badRequest, message: 'not a stream request' };
}

/** An integer query parameter within [min, max], the default when absent, or an error text. */
export function intParam(params: URLSearchParams, name: string, dflt: number, min: number, max: number): number | string {
  const raw = params.get(name);
  if (raw === null) return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) return `${name}: must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`;
  return v;
}
