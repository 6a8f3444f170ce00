// A connection's limits on its peer: a token bucket over inbound messages (one second of burst),
// and the watch on a send buffer that stays over its cap with nothing written (a peer that does
// not read).

/** Close code for a client that breaks a limit (policy violation). */
export const CLOSE_POLICY = 1008;

export class MessageRate {
  private tokens: number;
  private atMs: number;

  constructor(
    private readonly perSec: number,
    nowMs: number,
  ) {
    this.tokens = perSec;
    this.atMs = nowMs;
  }

  /** False when this message is over the rate. */
  admit(nowMs: number): boolean {
    this.tokens = Math.min(this.perSec, this.tokens + ((nowMs - this.atMs) * this.perSec) / 1000);
    this.atMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

export class SendStallWatch {
  /** When the send buffer was first seen over its cap with no message written since (0: not stuck). */
  private overCapSinceMs = 0;
  private sendsAtOverCap = 0;

  /** True once the buffer stayed over `capBytes`, with no send in between, for `limitMs`. */
  stuck(bufferedBytes: number, capBytes: number, sends: number, nowMs: number, limitMs: number): boolean {
    if (bufferedBytes <= capBytes || (this.overCapSinceMs !== 0 && sends !== this.sendsAtOverCap)) {
      this.overCapSinceMs = 0;
      return false;
    }
    if (this.overCapSinceMs === 0) {
      this.overCapSinceMs = nowMs;
      this.sendsAtOverCap = sends;
      return false;
    }
    return nowMs - this.overCapSinceMs >= limitMs;
  }
}
