// The shipped reference adapter scenario runs as it is against the embedded server.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT, TEST_CACHE_DIR, tempDir } from '../helpers.js';

it('scenarios/protocols/reference.yaml: frame latency from the header, nothing lost', async () => {
  const loaded = await loadScenario(join(ROOT, 'scenarios', 'protocols', 'reference.yaml'), []);
  Object.assign(loaded.scenario, { clients: 5, duration: '2s', warmup: '500ms', rampUp: '200ms', resolution: '240p', corpusFrames: 10 });
  const { results } = await runScenario(loaded, { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR });
  const cell = results.cells[0]!;
  expect(cell.protocol).toBe('reference');
  expect(results.ok).toBe(true);
  expect(cell.latencyMs.frame.count).toBeGreaterThan(100);
  // gaps are an adapter metric; reference frames carry their due time
  expect(cell.latencyMs.gap!.count).toBe(0);
  expect(cell.latencyMs.timeToDone!.p50).toBeGreaterThan(900);
  expect(cell.counts.framesLost).toBe(0);
  expect(cell.counts.errors).toBe(0);
}, 60_000);
