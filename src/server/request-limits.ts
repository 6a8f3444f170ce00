// What a generate request may ask for: the operator's pixel budget and optional resolution and
// quality allow-lists. A refusal is an error message with code limit_exceeded naming the limit.
import { parseResolution } from '../frames/resolution.js';
import { ERROR_CODES, type ErrorMessage } from '../protocol/messages.js';

export interface RequestLimits {
  maxPixels: number;
  /** "WxH" of every allowed resolution; undefined allows any within maxPixels. */
  resolutions?: ReadonlySet<string>;
  qualities?: ReadonlySet<number>;
}

export function requestLimits(maxPixels: number, resolutions?: string[], qualities?: number[]): RequestLimits {
  const limits: RequestLimits = { maxPixels };
  if (resolutions) {
    limits.resolutions = new Set(
      resolutions.map((r) => {
        const d = parseResolution(r)!;
        return `${d.width}x${d.height}`;
      }),
    );
  }
  if (qualities) limits.qualities = new Set(qualities);
  return limits;
}

/** Undefined when allowed, else the error to answer. PNG ignores quality, so the quality list does not apply to it. */
export function checkRequest(limits: RequestLimits, req: { requestId: number; format: string; width: number; height: number; quality: number }): ErrorMessage | undefined {
  const refuse = (message: string): ErrorMessage => ({ type: 'error', code: ERROR_CODES.limitExceeded, message, requestId: req.requestId });
  const size = `${req.width}x${req.height}`;
  if (limits.resolutions && !limits.resolutions.has(size)) {
    return refuse(`resolution: ${size} is not served here; allowed: ${[...limits.resolutions].join(', ')}`);
  }
  const pixels = req.width * req.height;
  if (pixels > limits.maxPixels) {
    return refuse(`resolution: ${size} is ${pixels} pixels, over this server's budget of ${limits.maxPixels} per frame (bench serve --max-pixels)`);
  }
  if (limits.qualities && req.format !== 'png' && !limits.qualities.has(req.quality)) {
    return refuse(`quality: ${req.quality} is not served here; allowed: ${[...limits.qualities].join(', ')}`);
  }
  return undefined;
}
