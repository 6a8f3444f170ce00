import { describe, expect, it } from 'vitest';
import { PlaybackModel, simulatePlayback } from '../../src/client/playback-model.js';
import { PlaybackAccumulator } from '../../src/metrics/playback.js';

type Arrival = { arrivalMs: number; serverTimeMs: number };

/** Frames arriving at the given times, generated `networkMs` before arrival. */
const at = (times: number[], networkMs = 0): Arrival[] => times.map((t) => ({ arrivalMs: t, serverTimeMs: t - networkMs }));
const every = (count: number, stepMs: number, firstMs = stepMs): number[] => Array.from({ length: count }, (_, i) => firstMs + i * stepMs);

/** Seeded PRNG (mulberry32) so the jittery sequence is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 fps generation, 10–40 ms on the wire, a 100–250 ms hiccup on ~5 % of frames; arrivals stay in order. */
function jittery(count: number): Arrival[] {
  const rand = prng(7);
  let prev = 0;
  const out: Arrival[] = [];
  for (let i = 0; i < count; i++) {
    const nominal = Math.round((i * 1000) / 30);
    const delay = 10 + rand() * 30 + (rand() < 0.05 ? 100 + rand() * 150 : 0);
    prev = Math.max(prev, Math.round(nominal + delay));
    out.push({ arrivalMs: prev, serverTimeMs: nominal });
  }
  return out;
}

describe('PlaybackModel', () => {
  it('smooth arrival: no stalls, startup at the bufferDepth-th arrival, constant display latency', () => {
    const r = simulatePlayback(at(every(10, 100), 20), { bufferDepth: 3, fps: 10 });
    expect(r.startupMs).toBe(300);
    expect(r.stalls).toBe(0);
    expect(r.stallMs).toBe(0);
    expect(r.stallRatio).toBe(0);
    expect(r.framesDisplayed).toBe(10);
    expect(r.playedMs).toBe(1000);
    // shown (depth − 1) intervals after arrival, plus 20 ms on the wire
    expect(r.displayLatencyMs).toEqual(Array(10).fill(220));
  });

  it('measures startup from startMs', () => {
    const r = simulatePlayback(at([1100, 1200]), { bufferDepth: 2, fps: 10, startMs: 1000 });
    expect(r.startupMs).toBe(200);
  });

  it('a gap gives exactly one stall from the missed due time to the refill', () => {
    const r = simulatePlayback(at([...every(5, 100), ...every(5, 100, 1200)]), { bufferDepth: 2, fps: 10 });
    // shown 200..600, due at 700 with an empty buffer; refilled to 2 frames at 1300
    expect(r.startupMs).toBe(200);
    expect(r.stalls).toBe(1);
    expect(r.stallMs).toBe(600);
    expect(r.framesDisplayed).toBe(10);
    expect(r.stallRatio).toBeCloseTo(600 / 1600, 12);
    expect(r.displayLatencyMs).toEqual(Array(10).fill(100));
  });

  it('deeper buffer: fewer stalls, longer startup on the same jittery sequence', () => {
    const arrivals = jittery(300);
    const shallow = simulatePlayback(arrivals, { bufferDepth: 1, fps: 30 });
    const deep = simulatePlayback(arrivals, { bufferDepth: 10, fps: 30 });
    expect(shallow.stalls).toBeGreaterThanOrEqual(3);
    expect(deep.stalls).toBe(0);
    expect(deep.stallRatio).toBeLessThan(shallow.stallRatio);
    expect(deep.startupMs!).toBeGreaterThan(shallow.startupMs!);
    expect(shallow.startupMs).toBe(arrivals[0]!.arrivalMs);
    expect(deep.startupMs).toBe(arrivals[9]!.arrivalMs);
    const byDepth = [1, 2, 3, 5, 10].map((bufferDepth) => simulatePlayback(arrivals, { bufferDepth, fps: 30 }));
    for (let i = 1; i < byDepth.length; i++) {
      expect(byDepth[i]!.stallMs).toBeLessThanOrEqual(byDepth[i - 1]!.stallMs);
      expect(byDepth[i]!.startupMs!).toBeGreaterThanOrEqual(byDepth[i - 1]!.startupMs!);
    }
    expect(shallow.framesDisplayed).toBe(300);
    expect(deep.framesDisplayed).toBe(300);
  });

  it('frames faster than fps: buffer grows, display paced at fps, latency grows', () => {
    const times = every(100, 10, 0);
    const model = new PlaybackModel({ bufferDepth: 5, fps: 10, startMs: 0 });
    for (const t of times) model.arrive(t, t);
    expect(model.buffered).toBeGreaterThan(64);
    const r = simulatePlayback(at(times), { bufferDepth: 5, fps: 10 });
    expect(r.startupMs).toBe(40);
    expect(r.stalls).toBe(0);
    expect(r.framesDisplayed).toBe(100);
    expect(r.displayLatencyMs[0]).toBe(40);
    expect(r.displayLatencyMs[99]).toBe(40 + 90 * 99);
  });

  it('a stream shorter than bufferDepth starts at its end and plays everything', () => {
    const r = simulatePlayback(at([100, 200, 300]), { bufferDepth: 10, fps: 10, endMs: 350 });
    expect(r.startupMs).toBe(350);
    expect(r.stalls).toBe(0);
    expect(r.framesDisplayed).toBe(3);
    expect(r.displayLatencyMs).toEqual([250, 250, 250]);
  });

  it('zero frames: no startup, no stalls', () => {
    const r = simulatePlayback([], { bufferDepth: 5, fps: 30, endMs: 500 });
    expect(r).toMatchObject({ startupMs: null, stalls: 0, stallMs: 0, playedMs: 0, stallRatio: 0, framesDisplayed: 0 });
  });

  it('an arrival exactly at its due time is not a stall', () => {
    expect(simulatePlayback(at([0, 100, 200, 300]), { bufferDepth: 1, fps: 10 }).stalls).toBe(0);
  });

  it('running dry at the end of the stream is not a stall', () => {
    const r = simulatePlayback(at([100]), { bufferDepth: 1, fps: 10, endMs: 5000 });
    expect(r.stalls).toBe(0);
    expect(r.stallMs).toBe(0);
  });

  it('a stall the last frames cannot refill ends when the stream ends', () => {
    const r = simulatePlayback(at([100, 200, 300, 900]), { bufferDepth: 3, fps: 10, endMs: 1000 });
    // shown 300, 400, 500; due at 600 with nothing buffered; one frame at 900; done at 1000
    expect(r.stalls).toBe(1);
    expect(r.stallMs).toBe(400);
    expect(r.displayLatencyMs.at(-1)).toBe(100);
  });

  it('clamps arrivals that go back in time', () => {
    const r = simulatePlayback(at([100, 90, 300]), { bufferDepth: 2, fps: 10 });
    expect(r.startupMs).toBe(100);
  });

  it('reset reuses one instance across requests with the same results as fresh ones', () => {
    const seen: number[] = [];
    const model = new PlaybackModel({ bufferDepth: 3, fps: 10, startMs: 0 }, (ms) => seen.push(ms));
    for (const a of jittery(50)) model.arrive(a.arrivalMs, a.serverTimeMs);
    model.finish(5000);
    expect(() => model.arrive(6000, 6000)).toThrow(/reset/);

    const second = [...every(5, 100), ...every(5, 100, 1200)].map((t) => ({ arrivalMs: 10_000 + t, serverTimeMs: 10_000 + t }));
    model.reset(10_000, { bufferDepth: 2 });
    seen.length = 0;
    for (const a of second) model.arrive(a.arrivalMs, a.serverTimeMs);
    const reused = model.finish(second.at(-1)!.arrivalMs);
    const fresh = simulatePlayback(second, { bufferDepth: 2, fps: 10, startMs: 10_000 });
    const { displayLatencyMs, ...freshOutcome } = fresh;
    expect(reused).toEqual(freshOutcome);
    expect(seen).toEqual(displayLatencyMs);
  });

  it('rejects invalid options', () => {
    expect(() => new PlaybackModel({ bufferDepth: 0, fps: 30, startMs: 0 })).toThrow(RangeError);
    expect(() => new PlaybackModel({ bufferDepth: 2.5, fps: 30, startMs: 0 })).toThrow(RangeError);
    expect(() => new PlaybackModel({ bufferDepth: 5, fps: 0, startMs: 0 })).toThrow(RangeError);
  });
});

describe('PlaybackAccumulator', () => {
  it('sums outcomes into a PlaybackSummary with a time-weighted stall ratio', () => {
    const acc = new PlaybackAccumulator();
    const smooth = new PlaybackModel({ bufferDepth: 3, fps: 10, startMs: 0 }, acc.recordDisplayLatency);
    for (const a of at(every(10, 100), 20)) smooth.arrive(a.arrivalMs, a.serverTimeMs);
    acc.add(smooth.finish(1000));
    const gap = new PlaybackModel({ bufferDepth: 2, fps: 10, startMs: 0 }, acc.recordDisplayLatency);
    for (const a of at([...every(5, 100), ...every(5, 100, 1200)])) gap.arrive(a.arrivalMs, a.serverTimeMs);
    acc.add(gap.finish(1600));
    acc.add(new PlaybackModel({ bufferDepth: 2, fps: 10, startMs: 0 }).finish(100));

    const s = acc.summary();
    expect(acc.requests).toBe(3);
    expect(s.stalls).toBe(1);
    expect(s.stallMs).toBe(600);
    expect(s.stallRatio).toBeCloseTo(600 / (600 + 2000), 6);
    expect(s.startupMs.count).toBe(2);
    expect(s.startupMs.min).toBe(200);
    expect(s.startupMs.max).toBeCloseTo(300, 0);
    expect(s.displayLatency?.count).toBe(20);
    expect(s.displayLatency?.max).toBeCloseTo(220, 0);
  });

  it('omits display latency when none was recorded, and merges exactly', () => {
    const a = new PlaybackAccumulator();
    const b = new PlaybackAccumulator();
    a.add(simulatePlayback(at([100, 200]), { bufferDepth: 1, fps: 10 }));
    b.add(simulatePlayback(at([100, 200, 900]), { bufferDepth: 1, fps: 10 }));
    expect(a.summary().displayLatency).toBeUndefined();
    a.merge(b);
    const s = a.summary();
    expect(a.requests).toBe(2);
    expect(s.startupMs.count).toBe(2);
    expect(s.stalls).toBe(1);
    expect(s.stallMs).toBe(600);
  });
});
