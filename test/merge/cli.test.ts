import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared with bench/merge.js
import { syntheticShard } from '../../bench/synthetic-shards.js';
import { runCli, tempDir } from '../helpers.js';

const START = Date.parse('2026-12-01T21:00:00Z');

function writeShards(dir: string, count: number, runIdOf: (i: number) => string = () => 'run-x'): string[] {
  return Array.from({ length: count }, (_, index) => {
    const sub = join(dir, `shard-${index + 1}`);
    mkdirSync(sub, { recursive: true });
    const file = join(sub, 'results.json');
    writeFileSync(file, JSON.stringify(syntheticShard({ index, count, seconds: 5, clients: 3, fps: 5, runId: runIdOf(index), startMs: START })));
    return file;
  });
}

describe('bench merge (CLI)', () => {
  it('merges a run folder and writes results.json, report.html, summary.md and junit.xml into its merged/', async () => {
    const dir = tempDir('fb-merge-cli-');
    writeShards(dir, 3);
    const r = await runCli(['merge', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/merged 3 shards of run run-x/);
    for (const f of ['results.json', 'report.html', 'summary.md', 'junit.xml']) expect(readFileSync(join(dir, 'merged', f), 'utf8').length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'merged', 'summary.md'), 'utf8')).toContain('**Shards:** merged from 3 shards on 3 hosts');
    expect(readFileSync(join(dir, 'merged', 'junit.xml'), 'utf8')).toContain('frame.p99 &lt; 500');
  });

  it('exits 2 naming the file of another run, and names a missing shard', async () => {
    const dir = tempDir('fb-merge-cli-');
    const files = writeShards(dir, 3, (i) => (i === 2 ? 'run-y' : 'run-x'));
    const r = await runCli(['merge', ...files, '-o', join(dir, 'merged')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${files[2]}: run id run-y differs from ${files[0]} (run-x)`);
    const m = await runCli(['merge', files[0]!, files[1]!, '-o', join(dir, 'merged')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('shard 3/3 of run run-x missing (got 1/3, 2/3)');
  });
});
