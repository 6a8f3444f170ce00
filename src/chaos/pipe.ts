// One direction of a fault-proxy connection: delays each chunk (latency ± jitter, order kept), limits bandwidth
// with a token bucket, and holds everything while black-holed. One timer per direction, not one per chunk.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Rng } from './schedule.js';

export interface PipeFaults {
  latencyMs?: number;
  jitterMs?: number;
  bandwidthBytesPerSec?: number;
  blackhole?: boolean;
}

/** Stop reading from the source when this much is waiting in the delay line (TCP backpressure takes over). */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** A chunk due within this much is sent now rather than after another timer round (timers fire in whole ms). */
const EARLY_MS = 0.5;
/** Bandwidth: the bucket holds this many seconds of tokens, and sends wait for at least this many seconds' worth. */
const BURST_S = 0.02;
const PIECE_S = 0.005;

interface Chunk {
  buf: Buffer | null;
  due: number;
}

export class DelayPipe {
  bytes = 0;
  private queue: Chunk[] = [];
  private queuedBytes = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private waitingDrain = false;
  private stopped = false;
  private destroyWhenDrained = false;
  private tokens = 0;
  private tokensAt = 0;
  private rate: number | undefined;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly faults: () => PipeFaults,
    private readonly rng: Rng,
  ) {
    src.on('data', (buf: Buffer) => this.push(buf));
    src.on('end', () => this.push(null));
    this.update();
  }

  get held(): number {
    return this.queuedBytes;
  }

  /** Re-reads the faults: pauses or resumes the source, refills the bucket for a new rate, sends what is due. */
  update(): void {
    const rate = this.faults().bandwidthBytesPerSec;
    if (rate !== this.rate) {
      this.rate = rate;
      this.tokens = rate ? Math.max(rate * BURST_S, 1024) : 0;
      this.tokensAt = performance.now();
    }
    this.flow();
    this.flush();
  }

  /** The source closed: deliver what is queued, then close the destination. */
  closeWhenDrained(): void {
    this.destroyWhenDrained = true;
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue = [];
    this.queuedBytes = 0;
  }

  private push(buf: Buffer | null): void {
    if (this.stopped) return;
    const { latencyMs = 0, jitterMs = 0 } = this.faults();
    const now = performance.now();
    const delay = Math.max(0, latencyMs + (jitterMs ? jitterMs * (2 * this.rng() - 1) : 0));
    const due = Math.max(now + delay, this.lastDue);
    this.lastDue = due;
    this.queue.push({ buf, due });
    this.queuedBytes += buf?.length ?? 0;
    this.flow();
    this.flush();
  }

  private flow(): void {
    if (this.stopped || this.src.destroyed) return;
    const hold = this.faults().blackhole === true || this.queuedBytes >= HIGH_WATER_BYTES;
    if (hold && !this.src.isPaused()) this.src.pause();
    else if (!hold && this.src.isPaused()) this.src.resume();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.waitingDrain || this.faults().blackhole) return;
    if (this.dst.destroyed) return this.stop();
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      const now = performance.now();
      if (head.due - now > EARLY_MS) return this.wake(head.due - now);
      if (head.buf === null) {
        this.queue.shift();
        this.dst.end();
        continue;
      }
      const n = this.allowance(head.buf.length, now);
      if (n === 0) return;
      const piece = n < head.buf.length ? head.buf.subarray(0, n) : head.buf;
      if (n < head.buf.length) head.buf = head.buf.subarray(n);
      else this.queue.shift();
      this.queuedBytes -= n;
      this.bytes += n;
      if (!this.dst.write(piece)) {
        this.waitingDrain = true;
        this.dst.once('drain', () => {
          this.waitingDrain = false;
          this.flush();
        });
        break;
      }
    }
    this.flow();
    if (this.queue.length === 0 && this.destroyWhenDrained) this.dst.destroySoon();
  }

  /** Bytes that may go now under the bandwidth limit; when none, arms the timer for when enough will. */
  private allowance(want: number, now: number): number {
    const rate = this.rate;
    if (!rate) return want;
    const burst = Math.max(rate * BURST_S, 1024);
    this.tokens = Math.min(burst, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
    const need = Math.min(want, Math.max(1024, rate * PIECE_S), burst);
    if (this.tokens >= need) {
      const n = Math.min(want, Math.floor(this.tokens));
      this.tokens -= n;
      return n;
    }
    this.wake(((need - this.tokens) / rate) * 1000);
    return 0;
  }

  private wake(ms: number): void {
    this.timer = setTimeout(() => this.flush(), Math.max(1, ms));
  }
}
