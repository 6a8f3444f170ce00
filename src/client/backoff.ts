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

/** Small seeded PRNG (mulberry32) so chaos and jitter are reproducible from the scenario seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
