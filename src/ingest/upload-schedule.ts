// The cameras' fixed schedule: frame seq is captured at anchor + seq / fps, whatever the socket
// does. Pure functions, so lateness and backlog handling are tested without sockets.

/** Capture (and scheduled send) time of frame `seq`, ms on the performance clock. */
export function dueMs(anchorMs: number, seq: number, intervalMs: number): number {
  return anchorMs + seq * intervalMs;
}

/** How many frames are due at `nowMs` that have not been sent (next = the next seq to send). */
export function dueCount(nowMs: number, anchorMs: number, next: number, intervalMs: number): number {
  if (nowMs < anchorMs) return 0;
  return Math.max(0, Math.floor((nowMs - anchorMs) / intervalMs) + 1 - next);
}

/**
 * A camera that cannot send keeps at most `maxBacklog` due frames to send late; older ones are given
 * up (counted as unsent). Returns the seq to send next and how many were given up.
 */
export function trimBacklog(nowMs: number, anchorMs: number, next: number, intervalMs: number, maxBacklog: number): { next: number; skipped: number } {
  const due = dueCount(nowMs, anchorMs, next, intervalMs);
  const skipped = Math.max(0, due - maxBacklog);
  return { next: next + skipped, skipped };
}

/** Start offset of camera `index` within one frame interval, so a fleet does not send in lockstep. */
export function phaseOffsetMs(index: number, intervalMs: number): number {
  return ((index * 0.618033988749895) % 1) * intervalMs;
}
