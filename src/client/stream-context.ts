// Per-request helpers of a virtual client that are not on the per-frame path: the values a
// request template can use, and the sampled image check (format and size asked for).
import { randomUUID } from 'node:crypto';
import type { CellCollector } from '../metrics/collector.js';
import type { Classified, ProtocolAdapter, RequestContext } from '../protocol/adapters/types.js';
import { sniffImage } from '../protocol/image-sniff.js';
import { parseResolution } from '../frames/resolution.js';
import type { CellParams } from '../scenario/schema.js';

const DIMS = new WeakMap<CellParams, { width: number; height: number }>();

/** The cell's resolution as width × height (0 × 0 when it names none), parsed once per cell. */
export function cellDims(p: CellParams): { width: number; height: number } {
  let d = DIMS.get(p);
  if (!d) DIMS.set(p, (d = parseResolution(p.resolution) ?? { width: 0, height: 0 }));
  return d;
}

export function requestContext(adapter: ProtocolAdapter, p: CellParams, dims: { width: number; height: number }, clientId: number, session: string, requestNo: number, wireId: string | number, frames: number): RequestContext {
  const prompts = adapter.prompts;
  return {
    requestNo,
    requestId: wireId,
    session,
    clientId,
    fps: p.fps,
    frames,
    format: p.format,
    resolution: p.resolution,
    width: dims.width,
    height: dims.height,
    quality: p.quality,
    transport: p.transport,
    prompt: prompts[(clientId + requestNo - 1) % prompts.length] ?? '',
    uuid: randomUUID(),
  };
}

/** Enough base64 for any image header we read (a multiple of 4 characters). */
const SNIFF_BASE64_CHARS = 8192;

/** Checks one frame's image header against the format and size asked for; mismatches are errors of their own kind. */
export function checkFrameImage(m: Classified, data: Buffer, p: CellParams, dims: { width: number; height: number }, collector: CellCollector): void {
  let img: ReturnType<typeof sniffImage>;
  if (m.payloadText !== undefined) {
    const head = m.payloadEncoding === 'base64' ? Buffer.from(m.payloadText.slice(0, SNIFF_BASE64_CHARS), 'base64') : Buffer.from(m.payloadText.slice(0, SNIFF_BASE64_CHARS), 'latin1');
    img = sniffImage(head);
  } else img = sniffImage(data, m.payloadOffset);
  if (img.format !== p.format) collector.error('frame_wrong_format');
  else if (img.width > 0 && (img.width !== dims.width || img.height !== dims.height)) collector.error('frame_wrong_size');
}

/** A server's error code as an error kind: short, lower case, [a-z0-9_]. */
export function errorKind(code: string): string {
  const k = code
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return `server_${k || 'error'}`;
}
