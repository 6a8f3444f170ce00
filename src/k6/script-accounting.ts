// framebench's playback model and per-request frame accounting, ported to plain JavaScript for an
// exported k6 script (text; no template literals: it sits in one). The playback model reports
// into the k6 metrics M declared by the runtime; test/k6/runtime-port.test.ts compares both
// ports with src/client/playback-model.ts and src/client/request-state.ts.

export function accountingSource(): string {
  return `
/**
 * Playback model of one request (framebench's viewer): frames fill a buffer; playback starts and,
 * after an underrun, resumes when the buffer holds bufferDepth frames; then one frame is shown
 * every 1000/fps ms. A due frame with an empty buffer starts a stall at its due time.
 */
class Playback {
  /** @param {number} bufferDepth @param {number} fps @param {number} startMs */
  constructor(bufferDepth, fps, startMs) {
    this.depth = bufferDepth;
    this.intervalMs = 1000 / fps;
    this.startMs = startMs;
    this.lastMs = startMs;
    this.size = 0;
    /** @type {number[]} server times (ms, local clock) of the buffered frames, oldest at head */
    this.times = [];
    this.head = 0;
    this.playing = false;
    this.firstDisplayMs = -1;
    this.segmentStartMs = 0;
    this.slot = 0;
    this.stallStartMs = 0;
    this.stalls = 0;
    this.stallMs = 0;
    this.displayed = 0;
  }

  /** @param {number} t arrival @param {number} serverTimeMs the frame's server time on the local clock (NaN without one) */
  arrive(t, serverTimeMs) {
    if (t < this.lastMs) t = this.lastMs;
    this.lastMs = t;
    this.advance(t);
    this.size++;
    this.times.push(serverTimeMs);
    if (!this.playing && this.size >= this.depth) this.begin(t);
  }

  /** Plays out what is buffered and reports the outcome as metrics. @param {number} endMs */
  finish(endMs) {
    const t = endMs > this.lastMs ? endMs : this.lastMs;
    this.advance(t);
    if (!this.playing && this.size > 0) this.begin(t);
    while (this.size > 0) this.showNext();
    if (this.firstDisplayMs >= 0) M.startup.add(this.firstDisplayMs - this.startMs);
    M.stalls.add(this.stalls);
    M.stallTime.add(this.stallMs);
    M.playedTime.add(this.displayed * this.intervalMs);
  }

  dueMs() {
    return this.segmentStartMs + this.slot * this.intervalMs;
  }

  /** @param {number} t */
  advance(t) {
    if (!this.playing) return;
    while (this.dueMs() < t) {
      if (this.size === 0) {
        this.playing = false;
        this.stallStartMs = this.dueMs();
        return;
      }
      this.showNext();
    }
  }

  /** @param {number} t */
  begin(t) {
    if (this.firstDisplayMs < 0) this.firstDisplayMs = t;
    else {
      const stalled = t - this.stallStartMs;
      this.stalls++;
      this.stallMs += stalled;
      const slots = Math.min(100000, Math.max(1, Math.round(stalled / this.intervalMs)));
      for (let i = 0; i < slots; i++) M.stallRatio.add(true);
    }
    this.playing = true;
    this.segmentStartMs = t;
    this.slot = 0;
  }

  /** Shows the head frame at its due time; display latency = that time − the frame's server time. */
  showNext() {
    const serverTimeMs = this.times[this.head++];
    if (this.head > 1024) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (serverTimeMs !== undefined && serverTimeMs === serverTimeMs) M.displayLatency.add(this.dueMs() - serverTimeMs);
    this.size--;
    this.slot++;
    this.displayed++;
    M.stallRatio.add(false);
  }
}

/** One generate request: which sequence numbers arrived (a bitset: duplicates are exact). */
class Request {
  /** @param {number} id @param {number} requested @param {boolean} measured @param {number} sentAt @param {number} intervalMs @param {Playback | null} playback */
  constructor(id, requested, measured, sentAt, intervalMs, playback) {
    this.id = id;
    this.requested = requested;
    this.measured = measured;
    this.sentAt = sentAt;
    this.intervalMs = intervalMs;
    this.playback = playback;
    this.received = 0;
    this.duplicates = 0;
    this.maxSeq = -1;
    /** when seq 0 was due on the stream's schedule (first arrival − seq/fps); NaN before any frame */
    this.anchorMs = NaN;
    this.seen = new Uint8Array(requested > 0 ? (requested + 7) >> 3 : 64);
  }

  /** @param {number} seq */
  mark(seq) {
    if (this.requested > 0 && seq >= this.requested) return false;
    const byte = seq >> 3;
    if (byte >= this.seen.length) {
      let size = this.seen.length;
      while (size <= byte) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.seen);
      this.seen = next;
    }
    const bit = 1 << (seq & 7);
    if (this.seen[byte] & bit) {
      this.duplicates++;
      return false;
    }
    this.seen[byte] |= bit;
    this.received++;
    if (seq > this.maxSeq) this.maxSeq = seq;
    return true;
  }

  /**
   * Frames due on the schedule by a cut: seq counts when it was due before the measured window ended
   * and more than one frame interval before the cut. Never fewer than arrived.
   * @param {number} atMs @param {number} windowEndMs
   */
  dueFrames(atMs, windowEndMs) {
    const anchor = this.anchorMs === this.anchorMs ? this.anchorMs : this.sentAt;
    const horizon = Math.min(windowEndMs, atMs - this.intervalMs);
    const due = horizon < anchor ? 0 : Math.floor((horizon - anchor) / this.intervalMs) + 1;
    const floor = Math.max(due, this.maxSeq + 1, this.received);
    return this.requested > 0 ? Math.min(this.requested, floor) : floor;
  }

  /**
   * Frames it should have delivered. Ended on its own (done, error, lost connection): a fixed count
   * owes all it asked for, a continuous stream what done reported or what was due by its end. Cut by
   * the client (drain timeout, end of the run): only what was due by then. Cut is not lost.
   * @param {number | undefined} serverFrames @param {{ atMs: number, cut: boolean, windowEndMs: number }} end
   */
  expected(serverFrames, end) {
    if (this.requested > 0 && !end.cut) return this.requested;
    if (this.requested === 0 && serverFrames !== undefined) return Math.max(serverFrames, this.maxSeq + 1, this.received);
    return end.cut ? this.dueFrames(end.atMs, end.windowEndMs) : this.dueFrames(end.atMs + this.intervalMs, Infinity);
  }
}
`;
}
