// `bench diff` as a user runs it: default output paths, the printed table, exit codes for the gate,
// schema mismatch and bad flags (compiled CLI, so run `npx tsc` first).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { buildDiffResults, changedPair } from '../fixtures/diff-results.js';
import { runCli, tempDir } from '../helpers.js';

/** Writes DIR/NAME/results.json, as `bench run` lays it out. */
function write(dir: string, name: string, results: unknown): string {
  mkdirSync(join(dir, name), { recursive: true });
  const file = join(dir, name, 'results.json');
  writeFileSync(file, JSON.stringify(results));
  return file;
}

describe('bench diff', () => {
  it('diffing a file with itself: all unchanged, exit 0, diff.html and diff.md beside the head file', async () => {
    const dir = tempDir('fb-diff-');
    const file = write(dir, 'v1.5', buildDiffResults({ seed: 1 }));
    const r = await runCli(['diff', file, file, '--fail-on', 'worse']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('every metric of every matched cell is unchanged');
    expect(r.stdout).toContain('gate: passed');
    expect(existsSync(join(dir, 'v1.5', 'diff.html'))).toBe(true);
    expect(readFileSync(join(dir, 'v1.5', 'diff.md'), 'utf8')).toContain('✅ no significant regression');
  });

  it('a regression with --fail-on worse exits 1 and names the failing metrics; -o and --md choose the paths', async () => {
    const dir = tempDir('fb-diff-');
    const { base, head } = changedPair();
    const a = write(dir, 'v1.4', base);
    const b = write(dir, 'v1.5', head);
    const summary = join(dir, 'step-summary.md');
    const r = await runCli(['diff', a, b, '--fail-on', 'worse', '-o', join(dir, 'out', 'd.html'), '--md', join(dir, 'out', 'd.md'), '--summary', summary]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/webp · 480p\s+frame latency p50 .* worse/);
    expect(r.stdout).toContain('gate: 3 regressions past tolerance');
    expect(r.stdout).toContain('added cells: png-480p-b5');
    expect(r.stdout).toContain('removed cells: jpeg-720p-b5');
    expect(r.stdout).toContain('warning: Different tool versions');
    expect(existsSync(join(dir, 'out', 'd.html'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'd.md'), 'utf8')).toBe(readFileSync(summary, 'utf8').replace(/\n$/, ''));
    expect(existsSync(join(dir, 'v1.5', 'diff.html'))).toBe(false);

    const lenient = await runCli(['diff', a, b, '--max-regression', 'frame.p50=50%', '--max-regression', 'frame.p99=50%', '--max-regression', 'counts.framesLost=100']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stdout).toContain('gate: passed');
    const noGate = await runCli(['diff', a, b]);
    expect(noGate.code, noGate.stderr).toBe(0);
    expect(noGate.stdout).not.toContain('gate:');
  });

  it('another schema version is a clear error (exit 2)', async () => {
    const dir = tempDir('fb-diff-');
    const good = write(dir, 'good', buildDiffResults({ seed: 1 }));
    const old = write(dir, 'old', { ...buildDiffResults({ seed: 1 }), schema: 'framebench/results@0' } as unknown as Results);
    const r = await runCli(['diff', old, good]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${old}: schema "framebench/results@0" is not supported; expected "framebench/results@1"`);
    const missing = await runCli(['diff', good, join(dir, 'nope.json')]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the results file');
  });

  it('bad flags exit 2 with a message naming the flag and what is allowed', async () => {
    const dir = tempDir('fb-diff-');
    const file = write(dir, 'x', buildDiffResults({ seed: 1, repeats: 1 }));
    const r = await runCli(['diff', file, file, '--fail-on', 'slower']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('bench: --fail-on slower: expected worse or any-worse\n');
    const m = await runCli(['diff', file, file, '--max-regression', 'p99=10%']);
    expect(m.code, m.stderr).toBe(2);
    expect(m.stderr).toContain('--max-regression p99=10%: unknown metric "p99"; expected one of frame.p50');
    expect(existsSync(join(dir, 'x', 'diff.html'))).toBe(false);
  });

  it('documents itself in --help', async () => {
    const r = await runCli(['diff', '--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const flag of ['--fail-on', '--max-regression', '--min-effect', '--floor', '--alpha', '--md', '--output']) expect(r.stdout).toContain(flag);
  });
});
