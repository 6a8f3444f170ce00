// Shared frame scheduler: one timer for the whole server, a min-heap of streams ordered by next send time.
// Each wake-up sends every frame whose time has come (including overdue ones after a stalled loop),
// yielding to I/O after a time budget and continuing right away.
import { nowUs } from '../protocol/clock.js';

export interface Scheduled {
  /** Absolute time of the next frame to send, µs (nowUs clock). */
  nextSendUs: number;
  /** Sends the frame due at nextSendUs and advances nextSendUs; returns false when the stream has finished. */
  fire(): boolean;
  /** False once cancelled; the heap drops such entries lazily. */
  active: boolean;
}

const BUDGET_US = 8_000;
const CLOCK_EVERY = 64;

export class FrameScheduler {
  private readonly heap: Scheduled[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedAtUs = Infinity;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  get size(): number {
    return this.heap.length;
  }

  add(s: Scheduled): void {
    if (this.stopped) return;
    this.push(s);
    if (s.nextSendUs < this.armedAtUs) this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    this.heap.length = 0;
  }

  private readonly run = (): void => {
    this.timer = this.immediate = undefined;
    this.armedAtUs = Infinity;
    const heap = this.heap;
    const start = nowUs();
    let now = start;
    let n = 0;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (!top.active) {
        this.popTop();
        continue;
      }
      if (top.nextSendUs > now) {
        now = nowUs();
        if (top.nextSendUs > now) break;
      }
      if (top.fire() && top.active) this.siftDown(0);
      else this.popTop();
      if (++n % CLOCK_EVERY === 0) {
        now = nowUs();
        if (now - start > BUDGET_US) {
          this.immediate = setImmediate(this.run);
          this.armedAtUs = -Infinity;
          return;
        }
      }
    }
    this.arm();
  };

  private arm(): void {
    if (this.stopped || this.immediate) return;
    const top = this.heap[0];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!top) {
      this.armedAtUs = Infinity;
      return;
    }
    this.armedAtUs = top.nextSendUs;
    const waitMs = (top.nextSendUs - nowUs()) / 1000;
    this.timer = setTimeout(this.run, waitMs > 1 ? Math.floor(waitMs) : 0);
  }

  private push(s: Scheduled): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(s);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.nextSendUs <= s.nextSendUs) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = s;
  }

  private popTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const len = heap.length;
    const s = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= len) break;
      const right = child + 1;
      if (right < len && heap[right]!.nextSendUs < heap[child]!.nextSendUs) child = right;
      const c = heap[child]!;
      if (c.nextSendUs >= s.nextSendUs) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = s;
  }
}
