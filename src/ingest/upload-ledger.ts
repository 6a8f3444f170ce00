// Which sent frames of one camera are still waiting for an answer: a ring of states indexed by seq
// (bounded: a frame older than the ring's span still unanswered is given up as lost). Answers and
// drops resolve seqs exactly once; a second answer for a seq is a duplicate.

const PENDING_MEASURED = 1;
const PENDING_UNMEASURED = 2;

export type Resolution = 'measured' | 'unmeasured' | 'unknown';

export class UploadLedger {
  private readonly state: Uint8Array;
  private readonly mask: number;
  private base = 0;
  private next = 0;

  constructor(
    capacity = 8192,
    /** Called for each measured frame given up as lost (ring overflow or lostAll). */
    private readonly onLost: (n: number) => void = () => undefined,
  ) {
    let cap = 1;
    while (cap < capacity) cap *= 2;
    this.state = new Uint8Array(cap);
    this.mask = cap - 1;
  }

  get pending(): number {
    let n = 0;
    for (let s = this.base; s < this.next; s++) if (this.state[s & this.mask] !== 0) n++;
    return n;
  }

  /** Records frame `seq` as sent (seqs increase by one per frame). */
  sent(seq: number, measured: boolean): void {
    while (seq - this.base >= this.state.length) this.giveUp(this.base++);
    this.state[seq & this.mask] = measured ? PENDING_MEASURED : PENDING_UNMEASURED;
    if (seq >= this.next) this.next = seq + 1;
  }

  /** An answer or drop for `seq`: whether it was pending (and measured), or unknown / already resolved. */
  resolve(seq: number): Resolution {
    if (!Number.isInteger(seq) || seq < this.base || seq >= this.next) return 'unknown';
    const i = seq & this.mask;
    const s = this.state[i];
    if (s === 0) return 'unknown';
    this.state[i] = 0;
    while (this.base < this.next && this.state[this.base & this.mask] === 0) this.base++;
    return s === PENDING_MEASURED ? 'measured' : 'unmeasured';
  }

  /** Every frame still pending is lost (its connection is gone or the drain timed out). */
  lostAll(): void {
    for (let s = this.base; s < this.next; s++) this.giveUp(s);
    this.base = this.next;
  }

  private giveUp(seq: number): void {
    const i = seq & this.mask;
    if (this.state[i] === PENDING_MEASURED) this.onLost(1);
    this.state[i] = 0;
  }
}
