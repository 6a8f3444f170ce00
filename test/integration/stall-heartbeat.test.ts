// A stall of the harness's own event loop longer than the heartbeat timeout: the frames that came
// meanwhile wait on the sockets, unread, and are not the server's silence. No connection may be
// dropped as silent and nothing may be counted lost for it.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunProgress } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

describe('heartbeat after a harness stall', () => {
  it('a 1.5 s stall with a 0.5 s heartbeat timeout drops no connection', async () => {
    let timer: NodeJS.Timeout | undefined;
    const onProgress = (p: RunProgress): void => {
      if (p.type !== 'phase' || p.phase !== 'measure') return;
      // in the check phase, as a descheduled process or a long poll phase would stall: the timers
      // run next with a fresh clock, before the sockets are read
      timer = setTimeout(() => {
        setImmediate(() => {
          const until = performance.now() + 1500;
          while (performance.now() < until);
        });
      }, 700);
    };
    try {
      const fields = { resolution: '240p', fps: 20, framesPerRequest: 20, rampUp: '200ms', warmup: '300ms', duration: '3s', drainTimeout: '2s', corpusFrames: 12, clients: 5, heartbeat: { interval: '200ms', timeout: '500ms' } };
      const { results } = await runScenario(scenario(fields), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0, onProgress });
      const cell = results.cells[0]!;
      expect(cell.errorsByKind['heartbeat_timeout'] ?? 0).toBe(0);
      expect(cell.counts.reconnects).toBe(0);
      expect(cell.counts.framesLost).toBe(0);
      expect(cell.counts.framesReceived).toBeGreaterThan(0);
      expect(cell.harness?.latencyAffected).toBe(true);
    } finally {
      clearTimeout(timer);
    }
  }, 60_000);
});
