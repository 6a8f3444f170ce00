// What a declarative adapter reads from its validated spec at run time: the HTTP transports' part
// and how many streams a connection carries. Free of the schema library, so a process that only
// runs adapters never loads it.
import { parseDuration } from '../../text/duration.js';
import type { HttpStart, PollSpec, SseSpec } from './http-schema.js';

/** What the HTTP-transport clients read from a declarative adapter. */
export interface HttpProtocol {
  start?: HttpStart;
  sse?: SseSpec;
  poll?: PollSpec;
  /** poll.interval in µs, when given. */
  pollIntervalUs?: number;
}

export function httpProtocolOf(spec: { start?: HttpStart; sse?: SseSpec; poll?: PollSpec }): HttpProtocol | undefined {
  if (!spec.start && !spec.sse && !spec.poll) return undefined;
  const out: HttpProtocol = {};
  if (spec.start) out.start = spec.start;
  if (spec.sse) out.sse = spec.sse;
  if (spec.poll) {
    out.poll = spec.poll;
    if (spec.poll.interval !== undefined) out.pollIntervalUs = (parseDuration(spec.poll.interval) ?? 0) * 1000;
  }
  return out;
}

/** Streams one connection carries at a time (correlation.streams; 1 without it). */
export function streamsOf(d: { correlation?: unknown }): number {
  const c = d.correlation as { streams?: number } | string | undefined;
  return typeof c === 'object' && typeof c.streams === 'number' ? c.streams : 1;
}
