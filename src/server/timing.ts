// Pure frame timing of a request: due times from the absolute start, send times with delay and jitter.

/** Due time of frame `seq`, µs: t0 + seq / fps, computed from t0 each time so nothing drifts. */
export function dueTimeUs(t0Us: number, seq: number, fps: number): number {
  return t0Us + (seq * 1e6) / fps;
}

/**
 * Send time of a frame, µs: due + delay + jitter (jitterFraction in [0, 1) scales jitterUs),
 * never before the previous frame of the same request so frames stay in order.
 */
export function sendTimeUs(dueUs: number, delayUs: number, jitterUs: number, jitterFraction: number, prevSendUs: number): number {
  const at = dueUs + delayUs + jitterUs * jitterFraction;
  return at < prevSendUs ? prevSendUs : at;
}

export { mulberry32 as seededRandom } from '../random.js';
