// Live progress view: exact TTY lines and CI line for typical states, the saturation warning,
// width limits and degenerate values.
import { describe, expect, it } from 'vitest';
import { clockText, harnessWarning, renderLine, renderLive } from '../../src/soak/live-view.js';
import type { LiveState } from '../../src/soak/types.js';

const state: LiveState = {
  elapsedSec: 724,
  totalSec: 7800,
  stage: { index: 1, count: 3, target: 1200, name: 'hold' },
  clients: { connected: 1187, target: 1200 },
  framesPerSec: 35_610.4,
  p99Last10sMs: 84.23,
  errors: 3,
  reconnects: 41,
  harness: { cpuPct: 62.4, eventLoopP99Ms: 12.44 },
  scrape: { ok: 48, errors: 1 },
};

describe('renderLive', () => {
  it('renders the compact TTY view', () => {
    expect(renderLive(state)).toEqual([
      'soak 12:04 / 2:10:00  [####....................................]   9%',
      'stage 2/3 hold → 1,200 clients · connected 1,187/1,200 (98%)',
      'frames/s 35,610 · p99 (10 s) 84.2 ms · errors 3 · reconnects 41',
      'harness CPU 62% · event-loop p99 12.4 ms · scrape 48 ok, 1 failed',
    ]);
  });

  it('adds a warning line when the harness looks saturated, and shows stopping', () => {
    const lines = renderLive({ ...state, harness: { cpuPct: 97, eventLoopP99Ms: 212 }, stopping: true, scrape: undefined }, 120);
    expect(lines[0]).toMatch(/ 9% {2}stopping…$/);
    expect(lines[3]).toBe('harness CPU 97% · event-loop p99 212 ms');
    expect(lines[4]).toBe("! harness saturated (event-loop p99 212 ms > 100 ms, CPU 97% ≥ 95%): latency includes the harness's own queueing");
  });

  it('keeps every line within the width', () => {
    for (const width of [40, 60, 100]) {
      const lines = renderLive({ ...state, harness: { cpuPct: 99, eventLoopP99Ms: 500 } }, width);
      expect(lines).toHaveLength(5);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
    }
    expect(renderLive(state, 40)[2]).toBe('frames/s 35,610 · p99 (10 s) 84.2 ms · …');
  });

  it('copes with the start of a run: no frames yet, unnamed stage, zero totals', () => {
    const start: LiveState = {
      elapsedSec: 0,
      totalSec: 0,
      stage: { index: 0, count: 1, target: 10 },
      clients: { connected: 0, target: 0 },
      framesPerSec: 0,
      p99Last10sMs: null,
      errors: 0,
      reconnects: 0,
      harness: { cpuPct: 0, eventLoopP99Ms: 0 },
    };
    expect(renderLive(start)).toEqual([
      'soak 0:00 / 0:00  [........................................]   0%',
      'stage 1/1 → 10 clients · connected 0/0 (0%)',
      'frames/s 0 · p99 (10 s) – · errors 0 · reconnects 0',
      'harness CPU 0% · event-loop p99 0.0 ms',
    ]);
  });
});

describe('renderLine', () => {
  it('renders one line for CI logs', () => {
    expect(renderLine(state)).toBe('soak 12:04/2:10:00 (9%) | stage 2/3 hold → 1,200 clients | clients 1187/1200 | 35610 frames/s | p99(10s) 84.2 ms | errors 3 | reconnects 41 | cpu 62% | loop p99 12.4 ms | scrape errors 1');
  });

  it('flags saturation and stopping', () => {
    const line = renderLine({ ...state, harness: { cpuPct: 40, eventLoopP99Ms: 150 }, stopping: true });
    expect(line.endsWith('| HARNESS SATURATED (event-loop p99 150 ms > 100 ms) | stopping')).toBe(true);
    expect(harnessWarning(state)).toBeUndefined();
  });
});

describe('clockText', () => {
  it('formats elapsed time', () => {
    expect(clockText(59.9)).toBe('0:59');
    expect(clockText(3600)).toBe('1:00:00');
    expect(clockText(7322)).toBe('2:02:02');
    expect(clockText(Number.NaN)).toBe('–');
  });
});
