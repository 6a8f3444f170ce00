// Classic Prometheus histogram buckets filled from an HDR histogram window: one pass over the
// recorded values per window, so live metrics cost nothing per frame.
import { decodeHistogram, type Histogram } from '../metrics/hdr.js';

/** Upper bounds in seconds of the latency and lateness buckets (+Inf is implied). */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10] as const;

/** Cumulative-ready counts per bucket (not yet cumulative; last entry is +Inf), sum in seconds, count. */
export class BucketCounts {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly boundsS: readonly number[] = LATENCY_BUCKETS_S) {
    this.counts = new Array<number>(boundsS.length + 1).fill(0);
  }

  /** Adds every value of a compressed HDR histogram (µs). */
  addEncoded(base64: string): void {
    const h = decodeHistogram(base64);
    this.addHistogram(h);
    h.destroy();
  }

  addHistogram(h: Histogram): void {
    if (h.totalCount === 0) return;
    const it = (h as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }).recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      const s = v.valueIteratedTo / 1e6;
      let i = 0;
      while (i < this.boundsS.length && s > (this.boundsS[i] as number)) i++;
      this.counts[i] = (this.counts[i] ?? 0) + v.countAtValueIteratedTo;
      this.sum += s * v.countAtValueIteratedTo;
      this.count += v.countAtValueIteratedTo;
    }
  }

  /** [le, cumulative count] pairs, ending with +Inf = count. */
  cumulative(): Array<[string, number]> {
    let acc = 0;
    const out: Array<[string, number]> = this.boundsS.map((b, i) => {
      acc += this.counts[i] ?? 0;
      return [String(b), acc];
    });
    out.push(['+Inf', this.count]);
    return out;
  }
}
