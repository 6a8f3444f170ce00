// Playback of one viewer stream in the page, driven by decode completions and paint ticks; no DOM,
// no imports (its source is injected into the page as is, and it is unit-tested in Node).
//
// Frames enter in arrival order when their decode starts (`enqueue`) and become ready when it
// completes (`decoded`). Playback starts, and after an underrun resumes, once `bufferDepth`
// decoded frames wait at the head. Each paint tick shows the first ready frame in order: frames
// before it still decoding are skipped and, when their decode completes, are dropped as decoded
// too late to show; decoded frames beyond `bufferDepth` push the oldest out (dropped, overflow).
// A tick while playing with nothing ready starts a stall; it lasts until the paint that resumes.
// Freezes follow the W3C freezeCount rule: a gap between painted frames of at least
// max(3 × mean, mean + 150 ms), the mean over the last 30 gaps before it.

export interface PlayerCounts {
  painted: number;
  droppedLate: number;
  droppedOverflow: number;
  stalls: number;
  stallMs: number;
  freezes: number;
  freezeMs: number;
}

export interface PlayerFrame<T> {
  id: number;
  image: T | null;
  decodedAt: number;
}

export function freezeThresholdMs(meanGapMs: number): number {
  return Math.max(3 * meanGapMs, meanGapMs + 150);
}

export class StreamPlayer<T> {
  counts: PlayerCounts = { painted: 0, droppedLate: 0, droppedOverflow: 0, stalls: 0, stallMs: 0, freezes: 0, freezeMs: 0 };
  private queue: PlayerFrame<T>[] = [];
  /** Frames skipped at paint while still decoding. */
  private late = new Set<number>();
  private playing = false;
  private started = false;
  private stallStart = -1;
  private lastPaint = -1;
  private gaps: number[] = [];
  private gapSum = 0;
  private nextId = 0;

  constructor(
    private readonly bufferDepth: number,
    private readonly release: (image: T) => void,
  ) {}

  /** A frame arrived and its decode started; returns its id for `decoded`. */
  enqueue(): number {
    const f: PlayerFrame<T> = { id: this.nextId++, image: null, decodedAt: -1 };
    this.queue.push(f);
    return f.id;
  }

  /** The decode of frame `id` completed at `now`. Returns false when it came too late to show. */
  decoded(id: number, image: T, now: number): boolean {
    const f = this.queue.find((q) => q.id === id);
    if (!f) {
      this.release(image);
      if (this.late.delete(id)) this.counts.droppedLate++;
      return false;
    }
    f.image = image;
    f.decodedAt = now;
    let ready = this.queue.filter((q) => q.image !== null).length;
    while (ready > this.bufferDepth) {
      const i = this.queue.findIndex((q) => q.image !== null);
      const [old] = this.queue.splice(i, 1);
      if (old?.image) this.release(old.image);
      this.counts.droppedOverflow++;
      ready--;
    }
    return true;
  }

  /** The decode of frame `id` failed: it leaves the queue. */
  failed(id: number): void {
    const i = this.queue.findIndex((q) => q.id === id);
    if (i >= 0) this.queue.splice(i, 1);
    this.late.delete(id);
  }

  /** A paint tick at `now`: the frame to paint (its decode time for decoded → painted), or null. */
  tick(now: number): PlayerFrame<T> | null {
    const readyCount = this.queue.filter((q) => q.image !== null).length;
    if (!this.playing) {
      if (readyCount < this.bufferDepth) return null;
      this.playing = true;
    }
    const at = this.queue.findIndex((q) => q.image !== null);
    if (at < 0) {
      this.playing = false;
      if (this.stallStart < 0) {
        this.stallStart = now;
        this.counts.stalls++;
      }
      return null;
    }
    for (const q of this.queue.splice(0, at)) this.late.add(q.id);
    const frame = this.queue.shift() as PlayerFrame<T>;
    if (this.stallStart >= 0) {
      this.counts.stallMs += now - this.stallStart;
      this.stallStart = -1;
    }
    this.paintedAt(now);
    this.started = true;
    return frame;
  }

  private paintedAt(now: number): void {
    this.counts.painted++;
    if (this.lastPaint >= 0) {
      const gap = now - this.lastPaint;
      if (this.gaps.length > 0 && gap >= freezeThresholdMs(this.gapSum / this.gaps.length)) {
        this.counts.freezes++;
        this.counts.freezeMs += gap;
      }
      this.gaps.push(gap);
      this.gapSum += gap;
      if (this.gaps.length > 30) this.gapSum -= this.gaps.shift() as number;
    }
    this.lastPaint = now;
  }

  /** Whether the stream has painted a frame yet. */
  get hasStarted(): boolean {
    return this.started;
  }

  /** Ends the stream: an open stall closes at `now`, buffered images are released. */
  finish(now: number): void {
    if (this.stallStart >= 0) {
      this.counts.stallMs += now - this.stallStart;
      this.stallStart = -1;
    }
    for (const q of this.queue) if (q.image) this.release(q.image);
    this.queue = [];
    this.late.clear();
  }
}
