// The results contract on write: with FRAMEBENCH_VALIDATE_RESULTS=1 (set for the whole suite) a
// record that breaks schema/results.schema.json is refused with the cell and field named, and the
// records the test fixtures build for report and diff are valid results files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnyResults } from '../../src/results/read.js';
import { checkResults, ResultsContractError, VALIDATE_ENV, writeResults } from '../../src/results/write.js';
import { buildChaosResults } from '../fixtures/results-chaos.js';
import { changedPair } from '../fixtures/diff-results.js';
import { buildMinimalResults, buildSweepResults } from '../fixtures/results-sweep.js';
import { tempDir } from '../helpers.js';

describe('writeResults validates against the published schema in the tests', () => {
  it('runs with validation switched on', () => {
    expect(process.env[VALIDATE_ENV]).toBe('1');
  });

  it('refuses a record with a wrong field, naming the cell and the field, and writes nothing', async () => {
    const dir = tempDir('fb-write-');
    const bad = buildSweepResults();
    (bad.cells[1]!.counts as unknown as Record<string, unknown>).framesExpected = 'many';
    const err = await writeResults(dir, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultsContractError);
    expect((err as Error).message).toContain(`cells[1] (${bad.cells[1]!.id}).counts.framesExpected: must be number, got "many"`);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
  });

  it('names a missing field', async () => {
    const bad = buildSweepResults();
    delete (bad.cells[0] as unknown as Record<string, unknown>).latencyMs;
    await expect(checkResults('x/results.json', bad)).rejects.toThrow(/cells\[0\] \([^)]+\): missing field "latencyMs"/);
  });

  it('accepts the fixtures the report and diff tests use, and reads back what it wrote', async () => {
    for (const r of [buildMinimalResults(), buildChaosResults(), buildSweepResults(), changedPair().base, changedPair().head]) await expect(checkResults('fixture', r)).resolves.toBeUndefined();
    const dir = tempDir('fb-write-');
    const results = buildSweepResults();
    const file = await writeResults(dir, results);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(results)));
    expect(await loadAnyResults(dir)).toEqual(JSON.parse(JSON.stringify(results)));
  });
});
