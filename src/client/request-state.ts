// One generate request as a client sees it: which sequence numbers arrived (a bitset, so duplicates
// are exact: the first 31 in one integer, later ones in a byte array made when a seq needs it),
// when, and how many frames it should have delivered. Cut is not lost: when the harness
// stops a request before its end, only the frames that were already due count as expected.

export interface Cut {
  /** Client time (µs) the harness stopped the request (drain timeout, end of the run). */
  atUs: number;
  /** Client time (µs) the measured window ended; frames due after it are not expected of a cut request. */
  windowEndUs?: number;
}

export interface DueInput {
  /** Frames requested; 0 for a continuous stream. */
  requested: number;
  received: number;
  maxSeq: number;
  /** Client time (µs) seq 0 was due on the stream's schedule (first arrival − seq/fps); NaN before any frame. */
  anchorUs: number;
  /** Client time (µs) the request was sent: the schedule's anchor while no frame has arrived. */
  sentAtUs: number;
  intervalUs: number;
}

/**
 * Frames due on the request's schedule by the cut: seq is due at anchor + seq × interval, and counts
 * when that is before the end of the measured window and more than one frame interval before the
 * cut (a frame on its way when the harness hangs up is not lost). Never fewer than arrived.
 */
export function dueFrames(req: DueInput, cut: Cut): number {
  const anchor = Number.isNaN(req.anchorUs) ? req.sentAtUs : req.anchorUs;
  const horizon = Math.min(cut.windowEndUs ?? Infinity, cut.atUs - req.intervalUs);
  const due = horizon < anchor ? 0 : Math.floor((horizon - anchor) / req.intervalUs) + 1;
  const floor = Math.max(due, req.maxSeq + 1, req.received);
  return req.requested > 0 ? Math.min(req.requested, floor) : floor;
}

/**
 * Frames a request should have delivered. A fixed-count request that ended on its own (done,
 * error, lost connection) owes all it asked for; a continuous stream owes what the server counted
 * in `done`, else what was due by its end. A request the harness cut owes only the frames due by
 * then (see dueFrames).
 */
export function expectedFrames(req: DueInput, serverFrames: number | undefined, end: { atUs: number; cut: boolean; windowEndUs?: number }): number {
  if (req.requested > 0 && !end.cut) return req.requested;
  if (req.requested === 0 && serverFrames !== undefined) return Math.max(serverFrames, req.maxSeq + 1, req.received);
  return dueFrames(req, end.cut ? end : { atUs: end.atUs + req.intervalUs });
}

/** Sequence numbers kept in one small integer (a V8 Smi on every platform). */
const LOW_BITS = 31;

export class RequestState implements DueInput {
  received = 0;
  duplicates = 0;
  bytes = 0;
  maxSeq = -1;
  /** Client time (µs) the first frame arrived, NaN before. */
  firstArrivalUs = Number.NaN;
  /** Client time (µs) at which seq 0 should have arrived, given the first arrival; NaN before. */
  anchorUs = Number.NaN;
  ended = false;
  /** The server acknowledged the request (a `generation` reply); a frame arriving says so too. */
  accepted = false;
  /** Bits of seq 0..LOW_BITS-1. */
  private low = 0;
  /** Bits of seq ≥ LOW_BITS, indexed by seq; made on the first such seq. */
  private seen: Uint8Array | undefined;

  constructor(
    readonly id: number,
    /** Frames requested; 0 for a continuous stream. */
    readonly requested: number,
    readonly measured: boolean,
    readonly sentAtUs: number,
    readonly intervalUs: number,
  ) {}

  get continuous(): boolean {
    return this.requested === 0;
  }

  /** Marks seq as received; false when it is a duplicate or outside the request. */
  mark(seq: number): boolean {
    if (this.requested > 0 && seq >= this.requested) return false;
    if (seq < LOW_BITS) {
      const bit = 1 << seq;
      if (this.low & bit) {
        this.duplicates++;
        return false;
      }
      this.low |= bit;
    } else {
      const byte = seq >> 3;
      let seen = this.seen;
      if (!seen || byte >= seen.length) seen = this.grow(byte);
      const bit = 1 << (seq & 7);
      if ((seen[byte] as number) & bit) {
        this.duplicates++;
        return false;
      }
      seen[byte] = (seen[byte] as number) | bit;
    }
    this.received++;
    if (seq > this.maxSeq) this.maxSeq = seq;
    return true;
  }

  /** Frames this request should have delivered by `atUs` (see expectedFrames); `cut` when the harness stopped it. */
  expected(serverFrames: number | undefined, end: { atUs: number; cut: boolean; windowEndUs?: number }): number {
    return expectedFrames(this, serverFrames, end);
  }

  private grow(byte: number): Uint8Array {
    let size = this.seen?.length ?? (this.requested > 0 ? (this.requested + 7) >> 3 : 64);
    while (size <= byte) size *= 2;
    const next = new Uint8Array(size);
    if (this.seen) next.set(this.seen);
    this.seen = next;
    return next;
  }
}
