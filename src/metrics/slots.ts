// Time-series windows on one grid: slot k covers ((k−1)·step, k·step] of the measured time, and
// every slot gets exactly one window. A process whose event loop stalled across a boundary closes
// one longer window; it counts whole in the slot it ends in (histogram, counters) and lends its
// rates and harness figures to the slots it spans. Windows of processes running side by side
// (client workers) merge slot by slot.
import { decodeHistogram, encodeHistogram, mergeHistograms } from './hdr.js';
import type { TimeseriesPoint } from '../results/types.js';
import { rollUp } from './windows.js';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r1 = (x: number): number => Math.round(x * 10) / 10;

export const slotOf = (t: number, stepSec: number): number => Math.round(t / stepSec);

interface Part {
  point: TimeseriesPoint;
  /** The point ends in this slot (else it only spans it). */
  whole: boolean;
}

const maxOf = (parts: readonly Part[], f: (p: TimeseriesPoint) => number | undefined): number | undefined => {
  let out: number | undefined;
  for (const { point } of parts) {
    const v = f(point);
    if (v !== undefined && (out === undefined || v > out)) out = v;
  }
  return out;
};

/** One slot's window from what each source saw of it. */
export function mergeSlot(parts: readonly Part[], slot: number, stepSec: number): TimeseriesPoint {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.whole) return only.point;
  const whole = parts.filter((p) => p.whole).map((p) => p.point);
  const withHdr = whole.filter((p) => p.hdr);
  let latency: { hdr?: string; p50: number; p99: number };
  if (withHdr.length === 1) latency = { hdr: withHdr[0]!.hdr, p50: withHdr[0]!.p50, p99: withHdr[0]!.p99 };
  else if (withHdr.length > 1) {
    const hs = withHdr.map((p) => decodeHistogram(p.hdr as string));
    const h = mergeHistograms(hs);
    latency = { hdr: encodeHistogram(h), p50: h.totalCount ? r3(h.getValueAtPercentile(50) / 1000) : 0, p99: h.totalCount ? r3(h.getValueAtPercentile(99) / 1000) : 0 };
    for (const x of [...hs, h]) x.destroy();
  } else latency = { p50: Math.max(0, ...whole.map((p) => p.p50)), p99: Math.max(0, ...whole.map((p) => p.p99)) };
  const sum = (f: (p: TimeseriesPoint) => number | undefined, from: readonly TimeseriesPoint[]): number => from.reduce((n, p) => n + (f(p) ?? 0), 0);
  const all = parts.map((p) => p.point);
  const out: TimeseriesPoint = {
    t: r3(slot * stepSec),
    durationSec: whole.length ? r3(Math.max(...whole.map((p) => Math.min(p.durationSec ?? stepSec, stepSec)))) : stepSec,
    framesPerSec: r1(sum((p) => p.framesPerSec, all)),
    bytesPerSec: Math.round(sum((p) => p.bytesPerSec, all)),
    ...latency,
    connections: sum((p) => p.connections, all),
    errors: sum((p) => p.errors, whole),
    lost: sum((p) => p.lost, whole),
    reconnects: sum((p) => p.reconnects, whole),
  };
  const cpu = maxOf(parts, (p) => p.harnessCpuPct);
  const delay = maxOf(parts, (p) => p.loopDelayP99Ms);
  const stall = maxOf(parts, (p) => p.loopStallMs);
  if (cpu !== undefined) out.harnessCpuPct = cpu;
  if (delay !== undefined) out.loopDelayP99Ms = delay;
  if (stall !== undefined) out.loopStallMs = stall;
  if (parts.some((p) => !p.whole)) out.spanned = true;
  const late = whole.filter((p) => p.latenessHdr);
  if (late.length === 1) out.latenessHdr = late[0]!.latenessHdr;
  else if (late.length > 1) {
    const hs = late.map((p) => decodeHistogram(p.latenessHdr as string));
    const h = mergeHistograms(hs);
    out.latenessHdr = encodeHistogram(h);
    for (const x of [...hs, h]) x.destroy();
  }
  return out;
}

/**
 * Feeds windows from `sources` processes as they arrive and hands out each slot's merged window
 * once every source has reached it (or ended). Keeps the merged series, rolled up beyond maxWindows.
 */
export class SlotAligner {
  readonly series: TimeseriesPoint[] = [];
  private readonly queues: TimeseriesPoint[][];
  private readonly ended: boolean[];
  private next = 1;

  constructor(
    sources: number,
    private readonly stepSec = 1,
    private readonly maxWindows = 1200,
  ) {
    this.queues = Array.from({ length: sources }, () => []);
    this.ended = Array.from({ length: sources }, () => false);
  }

  push(source: number, point: TimeseriesPoint): TimeseriesPoint[] {
    this.queues[source]?.push(point);
    return this.drain();
  }

  /** The source sends no more windows. */
  end(source: number): TimeseriesPoint[] {
    this.ended[source] = true;
    return this.drain();
  }

  private drain(): TimeseriesPoint[] {
    const out: TimeseriesPoint[] = [];
    for (;;) {
      const slot = this.next;
      let reached = false;
      for (let i = 0; i < this.queues.length; i++) {
        const q = this.queues[i] as TimeseriesPoint[];
        const last = q[q.length - 1];
        const has = last !== undefined && slotOf(last.t, this.stepSec) >= slot;
        if (!has && !this.ended[i]) return out;
        if (has) reached = true;
      }
      if (!reached) return out;
      const parts: Part[] = [];
      for (const q of this.queues) {
        while (q.length && slotOf((q[0] as TimeseriesPoint).t, this.stepSec) < slot) q.shift();
        const head = q[0];
        if (!head) continue;
        const whole = slotOf(head.t, this.stepSec) === slot;
        parts.push({ point: head, whole });
        if (whole) q.shift();
      }
      const merged = mergeSlot(parts, slot, this.stepSec);
      this.next++;
      out.push(merged);
      this.series.push(merged);
      if (this.series.length > this.maxWindows) {
        const rolled = rollUp(this.series, this.maxWindows);
        this.series.length = 0;
        this.series.push(...rolled);
      }
    }
  }
}

/** Whole series from several sources (or one with stalls) → one window per slot. */
export function alignSeries(sources: readonly (readonly TimeseriesPoint[])[], stepSec = 1, maxWindows = 1200): TimeseriesPoint[] {
  const a = new SlotAligner(sources.length, stepSec, maxWindows);
  sources.forEach((points, i) => {
    for (const p of points) a.push(i, p);
  });
  sources.forEach((_, i) => a.end(i));
  return a.series;
}
