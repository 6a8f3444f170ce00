// Retry timing for model API calls: Retry-After (seconds or an HTTP date, or retry-after-ms) when
// the API sends one, otherwise exponential backoff with full jitter; never more than the cap.

export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
  capMs: number;
}

export const RETRY_DEFAULTS: RetryPolicy = { maxRetries: 4, baseMs: 250, capMs: 10_000 };

/** The server's requested wait in ms, from `retry-after-ms` or `retry-after`; undefined when absent or unreadable. */
export function retryAfterMs(headers: { get(name: string): string | null }, nowMs: number): number | undefined {
  const precise = headers.get('retry-after-ms');
  if (precise !== null && /^\d+(\.\d+)?$/.test(precise.trim())) return Number(precise);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** Delay before retry number `attempt` (0-based): the server's wait when given, else jittered backoff; capped. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number, serverWaitMs?: number): number {
  if (serverWaitMs !== undefined) return Math.min(policy.capMs, Math.max(0, serverWaitMs));
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 20));
  return Math.floor(ceiling / 2 + (random * ceiling) / 2);
}

/** Whether an HTTP status is worth retrying (rate limited, overloaded, server errors). */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
