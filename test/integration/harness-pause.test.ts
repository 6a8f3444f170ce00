// The harness catches its own pauses: one stall of the client's event loop during the measured
// window marks that window harness-affected and the run's verdict says so; merged windows from
// worker processes come one per second.
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/report/terminal.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { RunProgress } from '../../src/runner/run-options.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = { resolution: '240p', fps: 20, framesPerRequest: 20, rampUp: '200ms', warmup: '300ms', duration: '3s', drainTimeout: '2s', corpusFrames: 12, clients: 5 };

/** Blocks this process's event loop once, `afterMs` into the measured window, for `forMs`. */
function stallOnce(afterMs: number, forMs: number): { onProgress: (p: RunProgress) => void; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    onProgress: (p) => {
      if (p.type !== 'phase' || p.phase !== 'measure') return;
      timer = setTimeout(() => {
        const until = performance.now() + forMs;
        while (performance.now() < until);
      }, afterMs);
    },
    clear: () => clearTimeout(timer),
  };
}

describe('harness pauses', () => {
  it('a single 400 ms stall flags its window and the run, in results, terminal and markdown', async () => {
    const timer = stallOnce(1300, 400);
    try {
      const { results } = await runScenario(scenario(base), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0, onProgress: timer.onProgress });
      const cell = results.cells[0]!;
      expect(cell.timeseries.map((p) => p.t)).toEqual([1, 2, 3]);
      const affected = cell.timeseries.filter((p) => p.harnessAffected);
      expect(affected.length).toBeGreaterThanOrEqual(1);
      expect(Math.max(...affected.map((p) => p.loopStallMs ?? 0))).toBeGreaterThanOrEqual(300);
      expect(cell.harness?.latencyAffected).toBe(true);
      expect(cell.harness?.pauseBoundMs).toBe(100);
      expect(cell.harness?.pausedWindows).toEqual(affected.map((p) => p.t));
      expect(cell.harnessSaturated).toBe(true);
      expect(results.harnessSaturated).toBe(true);
      expect(results.harnessSaturatedReason).toMatch(/stalled for up to \d+ ms.* \(bound 100 ms\)/);
      expect(summaryTable(results)).toMatch(/harness was saturated or paused/);
      expect(renderMarkdown(results)).toMatch(/harness saturated or paused/);
    } finally {
      timer.clear();
    }
  });

  it('a stall that runs past the end of the window is caught by the last window', async () => {
    const timer = stallOnce(2700, 1000);
    try {
      const { results } = await runScenario(scenario(base), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0, onProgress: timer.onProgress });
      const cell = results.cells[0]!;
      expect(cell.harness?.maxStallMs).toBeGreaterThanOrEqual(400);
      expect(cell.timeseries.at(-1)!.harnessAffected).toBe(true);
      expect(results.harnessSaturated).toBe(true);
    } finally {
      timer.clear();
    }
  });

  it('a bound above the stall (harnessPause) leaves the run unflagged', async () => {
    const timer = stallOnce(1300, 250);
    try {
      const { results } = await runScenario(scenario({ ...base, harnessPause: '2s' }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0, onProgress: timer.onProgress });
      const cell = results.cells[0]!;
      expect(cell.harness?.pauseBoundMs).toBe(2000);
      expect(cell.harness?.maxStallMs).toBeGreaterThanOrEqual(150);
      expect(cell.timeseries.some((p) => p.harnessAffected)).toBe(false);
      expect(results.harnessSaturated).toBeUndefined();
    } finally {
      timer.clear();
    }
  });

  it('windows merged from two worker processes: exactly one per second', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 10 }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 2 });
    const cell = results.cells[0]!;
    expect(cell.timeseries.map((p) => p.t)).toEqual([1, 2, 3]);
    expect(cell.timeseries.every((p) => p.connections === 10)).toBe(true);
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
  });
});
