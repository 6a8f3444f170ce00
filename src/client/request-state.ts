// One generate request as a client sees it: which sequence numbers arrived (a bitset, so duplicates
// are exact), when, and how many frames it should have delivered.

export class RequestState {
  received = 0;
  duplicates = 0;
  bytes = 0;
  maxSeq = -1;
  /** Client time (µs) the first frame arrived, NaN before. */
  firstArrivalUs = Number.NaN;
  /** Client time (µs) at which seq 0 should have arrived, given the first arrival. */
  anchorUs = 0;
  ended = false;
  private seen: Uint8Array;

  constructor(
    readonly id: number,
    /** Frames requested; 0 for a continuous stream. */
    readonly requested: number,
    readonly measured: boolean,
    readonly sentAtUs: number,
  ) {
    this.seen = new Uint8Array(requested > 0 ? (requested + 7) >> 3 : 64);
  }

  get continuous(): boolean {
    return this.requested === 0;
  }

  /** Marks seq as received; false when it is a duplicate or outside the request. */
  mark(seq: number): boolean {
    if (this.requested > 0 && seq >= this.requested) return false;
    const byte = seq >> 3;
    if (byte >= this.seen.length) this.grow(byte);
    const bit = 1 << (seq & 7);
    const seen = this.seen;
    if ((seen[byte] as number) & bit) {
      this.duplicates++;
      return false;
    }
    seen[byte] = (seen[byte] as number) | bit;
    this.received++;
    if (seq > this.maxSeq) this.maxSeq = seq;
    return true;
  }

  /**
   * Frames this request should have delivered: the requested count; for a continuous stream the
   * count the server reported in `done`, else the frames due by `nowUs` on the stream's schedule.
   */
  expected(serverFrames: number | undefined, nowUs: number, intervalUs: number): number {
    if (this.requested > 0) return this.requested;
    const due = Number.isNaN(this.firstArrivalUs) ? 0 : Math.floor((nowUs - this.anchorUs) / intervalUs) + 1;
    return Math.max(serverFrames ?? due, this.maxSeq + 1, this.received);
  }

  private grow(byte: number): void {
    let size = this.seen.length;
    while (size <= byte) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.seen);
    this.seen = next;
  }
}
