// A soak is a run mode: its scraper runs as a sampler of the measured window and its drift block
// joins the results before the run writes them, so results.json is written once, complete.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as write from '../../src/results/write.js';
import { runSoak } from '../../src/runner/run-soak.js';
import { loadScenario } from '../../src/scenario/load.js';
import { TEST_CACHE_DIR, tempDir } from '../helpers.js';

vi.mock('../../src/results/write.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/results/write.js')>();
  return { ...mod, writeResults: vi.fn(mod.writeResults) };
});

describe('soak writes its results once', () => {
  it('one write of results.json holding the soak block, the scraped series and the ok that counts drift', async () => {
    const dir = tempDir('fb-soak-once-');
    const file = join(dir, 'soak.yaml');
    writeFileSync(
      file,
      [
        'name: soak-once',
        'fps: 10',
        'framesPerRequest: continuous',
        'resolution: 240p',
        'corpusFrames: 12',
        'drainTimeout: 2s',
        'stages:',
        '  - { duration: 2s, target: 4 }',
        '  - { duration: 4s, target: 4 }',
        '  - { duration: 1s, target: 0 }',
        'scrape: { fromTarget: true, interval: 1s }',
        'drift:',
        '  framesPerSec: "< 50%"',
        '',
      ].join('\n'),
    );
    const loaded = await loadScenario(file);
    const out = join(dir, 'run');
    const outcome = await runSoak(loaded, { command: 'soak', outDir: out, cacheDir: TEST_CACHE_DIR, shape: { multiplier: 1 }, workers: 1 });
    const writes = vi.mocked(write.writeResults).mock.calls;
    expect(writes).toHaveLength(1);
    expect(writes[0]![0]).toBe(out);
    const onDisk = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(onDisk.soak.stages).toHaveLength(3);
    expect(onDisk.soak.scrape[0].scrapes).toBeGreaterThan(0);
    expect(onDisk.soak.driftThresholds).toHaveLength(1);
    expect(onDisk.ok).toBe(onDisk.cells.every((c: { ok?: boolean }) => c.ok !== false) && onDisk.soak.driftThresholds.every((t: { ok: boolean }) => t.ok));
    expect(outcome.soak).toEqual(onDisk.soak);
    expect(outcome.results.ok).toBe(onDisk.ok);
  });
});
