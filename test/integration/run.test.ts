import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = { resolution: '360p', format: 'webp', fps: 30, framesPerRequest: 30, rampUp: '500ms', warmup: '500ms', drainTimeout: '3s' };

describe('bench run against the embedded reference server', () => {
  it('50 clients for 3 s: no connect failures, nothing lost, exact accounting, sane latency', async () => {
    const out = tempDir();
    const { results, file } = await runScenario(scenario({ ...base, clients: 50, duration: '3s', thresholds: { 'counts.framesLost': '== 0' } }), {
      command: 'run',
      outDir: out,
      cacheDir: TEST_CACHE_DIR,
    });
    expect(file).toBe(`${out}/results.json`);
    expect(results.schema).toBe('framebench/results@1');
    expect(results.environment.embeddedServer).toBe(true);
    const [cell] = results.cells;
    expect(cell).toBeDefined();
    const c = cell!.counts;
    expect(c.connects).toBe(50);
    expect(c.connectFailures).toBe(0);
    expect(c.errors).toBe(0);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
    expect(c.framesReceived).toBeGreaterThan(50 * 30 * 2);
    expect(c.requestsCompleted).toBe(c.requests);
    const frame = cell!.latencyMs.frame;
    expect(frame.p50).toBeGreaterThan(0);
    expect(frame.p50).toBeLessThan(50);
    expect(cell!.latencyMs.connect.count).toBe(50);
    expect(cell!.latencyMs.firstFrame.count).toBe(c.requests);
    expect(cell!.throughput.framesPerSec).toBeGreaterThan(50 * 30 * 0.9);
    expect(cell!.timeseries.length).toBeGreaterThanOrEqual(2);
    expect(cell!.playback?.startupMs.count).toBe(c.requests);
    expect(cell!.thresholds).toEqual([{ expr: 'counts.framesLost == 0', ok: true, value: 0, status: 'pass', metric: 'counts.framesLost', op: '==', bound: 0 }]);
    expect(cell!.failures).toBeUndefined();
    expect(cell!.ok).toBe(true);
    expect(c.messagesBinary).toBeGreaterThanOrEqual(c.framesReceived);
    expect(c.messagesText).toBeGreaterThanOrEqual(c.requestsCompleted);
    expect(results.codecs?.[0]).toMatchObject({ format: 'webp', resolution: '360p', width: 640, height: 360 });
    expect(results.ok).toBe(true);
  });

  describe('a server that adds 20 ms per frame', () => {
    let server: EmbeddedServer;
    beforeAll(async () => {
      server = await spawnEmbeddedServer({ delayMs: 20, cacheDir: TEST_CACHE_DIR, prewarm: [{ format: 'webp', width: 640, height: 360, quality: 75 }] });
    });
    afterAll(() => server.stop());

    it('shows the delay in frame latency (p50 ≥ 20 ms) but not in lateness', async () => {
      const { results } = await runScenario(scenario({ ...base, clients: 20, duration: '2s' }), {
        command: 'run',
        target: server.url,
        outDir: tempDir(),
        cacheDir: TEST_CACHE_DIR,
      });
      const cell = results.cells[0]!;
      expect(results.environment.embeddedServer).toBe(false);
      expect(cell.latencyMs.frame.p50).toBeGreaterThanOrEqual(20);
      expect(cell.latencyMs.frame.p50).toBeLessThan(60);
      expect(cell.latencyMs.lateness.p50).toBeLessThan(10);
      expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
      expect(cell.counts.framesLost).toBe(0);
    });
  });

  it('continuous streams are cancelled at the end and accounted exactly', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 10, duration: '2s', framesPerRequest: 'continuous' }), {
      command: 'run',
      outDir: tempDir(),
      cacheDir: TEST_CACHE_DIR,
    });
    const c = results.cells[0]!.counts;
    expect(c.requests).toBe(10);
    expect(c.requestsCompleted).toBe(10);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived);
    expect(c.framesReceived).toBeGreaterThan(10 * 30 * 1.5);
  });
});
