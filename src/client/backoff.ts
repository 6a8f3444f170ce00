// Reconnect delays: exponential backoff with full jitter (delay = random(0, min(cap, base·2^attempt))),
// as production clients should do it so a fleet does not reconnect in lockstep.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random * ceiling);
}

export { mulberry32 as seededRandom } from '../random.js';
