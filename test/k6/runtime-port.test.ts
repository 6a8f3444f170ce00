// The exported script's ports of framebench's playback model and request accounting, evaluated
// from the generated text and compared with the TypeScript originals on seeded random streams.
import { describe, expect, it } from 'vitest';
import { simulatePlayback } from '../../src/client/playback-model.js';
import { RequestState } from '../../src/client/request-state.js';
import { accountingSource } from '../../src/k6/script-accounting.js';
import { mulberry32 } from '../../src/random.js';

type Sink = { add(v: number | boolean): void };
interface Metrics {
  startup: number[];
  stalls: number;
  stallTime: number;
  playedTime: number;
  ratio: boolean[];
  display: number[];
}

/** A class of the runtime text, compiled with a metrics object that records what it is given. */
function loadClass(name: string, m: Metrics): new (...args: number[] | unknown[]) => Record<string, (...a: unknown[]) => unknown> {
  const src = accountingSource();
  const start = src.indexOf(`class ${name} {`);
  const end = src.indexOf('\n}\n', start);
  const sink = (f: (v: number | boolean) => void): Sink => ({ add: f });
  const M = {
    startup: sink((v) => m.startup.push(Number(v))),
    stalls: sink((v) => (m.stalls += Number(v))),
    stallTime: sink((v) => (m.stallTime += Number(v))),
    playedTime: sink((v) => (m.playedTime += Number(v))),
    stallRatio: sink((v) => m.ratio.push(Boolean(v))),
    displayLatency: sink((v) => m.display.push(Number(v))),
  };
  return new Function('M', `${src.slice(start, end + 2)}\nreturn ${name};`)(M);
}

const fresh = (): Metrics => ({ startup: [], stalls: 0, stallTime: 0, playedTime: 0, ratio: [], display: [] });

describe('playback model port', () => {
  it('matches PlaybackModel on 500 seeded streams (startup, stalls, stall time, played time)', () => {
    const rnd = mulberry32(42);
    let stalled = 0;
    for (let n = 0; n < 500; n++) {
      const fps = [10, 24, 30, 60][n % 4] as number;
      const depth = 1 + (n % 8);
      const startMs = 1_000_000 + rnd() * 1000;
      const arrivals: Array<{ arrivalMs: number; serverTimeMs: number }> = [];
      let t = startMs + rnd() * 200;
      const count = 1 + Math.floor(rnd() * 120);
      for (let i = 0; i < count; i++) {
        t += rnd() < 0.1 ? rnd() * 800 : (1000 / fps) * (0.5 + rnd());
        arrivals.push({ arrivalMs: t, serverTimeMs: t - 5 - rnd() * 20 });
      }
      const endMs = t + rnd() * 500;
      const want = simulatePlayback(arrivals, { bufferDepth: depth, fps, startMs, endMs });
      const m = fresh();
      const Playback = loadClass('Playback', m);
      const p = new Playback(depth, fps, startMs);
      for (const a of arrivals) p.arrive!(a.arrivalMs, a.serverTimeMs);
      p.finish!(endMs);
      expect(m.stalls).toBe(want.stalls);
      expect(m.display).toHaveLength(want.displayLatencyMs.length);
      m.display.forEach((d, i) => expect(d).toBeCloseTo(want.displayLatencyMs[i] as number, 6));
      expect(m.stallTime).toBeCloseTo(want.stallMs, 6);
      expect(m.playedTime).toBeCloseTo(want.playedMs, 6);
      expect(m.startup).toHaveLength(1);
      expect(m.startup[0]).toBeCloseTo(want.startupMs as number, 6);
      // the Rate: one false per frame shown, at least one true per stall
      expect(m.ratio.filter((x) => !x)).toHaveLength(want.framesDisplayed);
      expect(m.ratio.filter((x) => x).length).toBeGreaterThanOrEqual(want.stalls);
      if (want.stalls > 0) stalled++;
    }
    expect(stalled).toBeGreaterThan(50);
  });
});

describe('request accounting port', () => {
  it('matches RequestState: duplicates, out-of-range seqs, expected frames of finite and continuous streams', () => {
    const rnd = mulberry32(7);
    for (let n = 0; n < 200; n++) {
      const requested = n % 2 ? 0 : 1 + Math.floor(rnd() * 100);
      const Request = loadClass('Request', fresh());
      const js = new Request(1, requested, true, 0, 50, null);
      const ts = new RequestState(1, requested, true, 0, 50_000);
      for (let i = 0; i < 150; i++) {
        const seq = Math.floor(rnd() * (requested || 300) * 1.2);
        expect(js.mark!(seq)).toBe(ts.mark(seq));
      }
      expect(js.received).toBe(ts.received);
      expect(js.duplicates).toBe(ts.duplicates);
      expect(js.maxSeq).toBe(ts.maxSeq);
      // expected(): same anchor, end and window in ms (script) and µs (framebench); cut and not
      if (n % 4 < 2) {
        ts.firstArrivalUs = 5_000_000;
        ts.anchorUs = 5_000_000;
        (js as unknown as { anchorMs: number }).anchorMs = 5_000;
      }
      for (const server of [undefined, 40]) {
        for (const cut of [false, true]) {
          for (const [at, windowEnd] of [
            [8_000, 9_000],
            [12_000, 9_500],
            [5_020, 6_000],
          ] as const) {
            expect(js.expected!(server, { atMs: at, cut, windowEndMs: windowEnd })).toBe(ts.expected(server, { atUs: at * 1000, cut, windowEndUs: windowEnd * 1000 }));
          }
        }
      }
    }
  });
});
