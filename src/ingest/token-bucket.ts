// A token bucket: `rate` tokens per second up to `capacity`. Pure given the clock readings it is
// handed, so limits (messages/s per connection, model API requests and tokens per minute) are
// tested without sockets.

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerSec: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSec);
      this.lastMs = nowMs;
    }
  }

  /** Takes `n` tokens when there are enough; otherwise takes none. */
  take(nowMs: number, n = 1): boolean {
    this.refill(nowMs);
    if (this.tokens + 1e-9 < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until `n` tokens will be there (0 when they are now; Infinity when n exceeds capacity). */
  waitMs(nowMs: number, n = 1): number {
    this.refill(nowMs);
    if (n > this.capacity) return Infinity;
    if (this.tokens >= n) return 0;
    return this.ratePerSec > 0 ? ((n - this.tokens) / this.ratePerSec) * 1000 : Infinity;
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }
}
