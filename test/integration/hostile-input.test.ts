// Bad input through the real `bench` process: every case exits 2 with a message naming the problem,
// never 1 (a failed threshold, to CI) and never a stack trace.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsProblem } from '../../src/results/validate.js';
import { TIMESERIES_SCHEMA } from '../../src/metrics/timeseries-log.js';
import { resultsSmall } from '../fixtures/results-small.js';
import { buildSweepResults } from '../fixtures/results-sweep.js';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const dir = tempDir('fb-hostile-');
const small = join(dir, 'small.yaml');
writeFileSync(small, 'clients: 1\nduration: 1s\n');

function expectUsage(r: { code: number | null; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('invalid --target URLs', () => {
  it.each([
    ['ws://[bad', /--target ws:\/\/\[bad: not a valid URL/],
    ['ws://127.0.0.1:99999999/', /port "99999999" is not a port number from 1 to 65535/],
    ['ws://127.0.0.1:-1/', /port "-1" is not a port number/],
  ])('%s exits 2', async (url, message) => {
    expectUsage(await runCli(['run', small, '--target', url]), message);
  });

  it('checks a target inside the scenario file too', async () => {
    const f = write('target.yaml', 'target: "ws://127.0.0.1:99999999/"\n');
    expectUsage(await runCli(['run', f]), /target: port "99999999" is not a port number/);
  });
});

describe('scenario bounds', () => {
  it('a huge sweep is refused with its cell count, without expanding it', async () => {
    const axes = ['clients', 'fps', 'quality', 'bufferDepth', 'framesPerRequest', 'duration', 'warmup'];
    const values: Record<string, unknown[]> = {
      clients: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      fps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      quality: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      bufferDepth: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      framesPerRequest: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      duration: ['1s', '2s', '3s', '4s', '5s', '6s', '7s', '8s', '9s', '10s'],
      warmup: ['1s', '2s', '3s', '4s', '5s', '6s', '7s', '8s', '9s', '10s'],
    };
    const f = write('huge.json', JSON.stringify({ sweep: Object.fromEntries(axes.map((a) => [a, values[a]])) }));
    const started = Date.now();
    const r = await runCli(['run', f]);
    expectUsage(r, /the sweep would make 10000000 cells \(clients 10 × fps 10 .* repeat 1\); at most 10000/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('deep nesting in a JSON or YAML scenario and in --set is refused before any recursion', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expectUsage(await runCli(['run', write('deep.json', `{"thresholds": ${deep}}`)]), /nested (more than 64 levels deep|too deeply)/);
    expectUsage(await runCli(['run', write('deep.yaml', `thresholds: ${deep}\n`)]), /nested (more than 64 levels deep|too deeply)/);
    expectUsage(await runCli(['run', small, '--set', `thresholds=${'['.repeat(5000)}${']'.repeat(5000)}`]), /--set thresholds: the value is nested/);
  });

  it('a scenario over the size bound is rejected by its size, before parsing', async () => {
    const f = write('big.yaml', `description: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const started = Date.now();
    expectUsage(await runCli(['run', f]), /the scenario file is 50\.0 MiB, over the 1\.0 MiB a scenario may be/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('rejects control characters in the name and a reconnect base longer than its cap', async () => {
    expectUsage(await runCli(['run', write('nul.json', JSON.stringify({ name: 'a\u0000b' }))]), /name: expected a name without control characters/);
    expectUsage(await runCli(['run', write('rc.yaml', 'reconnect: { base: 10s, cap: 1s }\n')]), /reconnect\.base: reconnect\.base must not be longer than reconnect\.cap/);
  });
});

describe('results files are validated on read', () => {
  const valid = buildSweepResults();
  const cell = valid.cells[0]!;
  const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  const cases: Array<[string, string, RegExp]> = [
    ['string framesExpected', JSON.stringify({ ...valid, cells: [{ ...cell, counts: { ...cell.counts, framesExpected: '10' } }] }), /cells\[0\] \([^)]+\)\.counts\.framesExpected: must be number, got "10"/],
    ['missing latencyMs', JSON.stringify({ ...valid, cells: [{ ...cell, latencyMs: undefined }] }), /cells\[0\] \([^)]+\): missing field "latencyMs"/],
    ['corrupt HDR', JSON.stringify({ ...valid, cells: [{ ...cell, latencyMs: { ...cell.latencyMs, frame: { ...cell.latencyMs.frame, hdr: 'HISTFAAAAB3=' } } }] }), /cells\[0\] \([^)]+\)\.latencyMs\.frame\.hdr: not a valid HDR histogram/],
    ['deep nesting', JSON.stringify(valid).replace('"scenario":{', `"scenario":{"deep":${deep},`), /nested more than 64 levels deep/],
  ];
  it.each(cases)('%s: report and diff exit 2 naming the cell and field', async (_name, text, message) => {
    const f = write(`bad-${_name.replace(/\W/g, '-')}.json`, text);
    const good = write('good.json', JSON.stringify(valid));
    expectUsage(await runCli(['report', f, '-o', join(dir, 'r.html')]), message);
    expectUsage(await runCli(['diff', good, f, '-o', join(dir, 'd.html'), '--md', join(dir, 'd.md')]), message);
  });

  it('the sweep fixture satisfies the published schema; a placeholder histogram does not', () => {
    expect(resultsProblem(JSON.parse(JSON.stringify(buildSweepResults())))).toBeUndefined();
    expect(resultsProblem(JSON.parse(JSON.stringify(resultsSmall)))).toMatch(/latencyMs\.frame\.hdr: not a valid HDR histogram/);
  });

  it('an ndjson with a 60 MB line gets a clear error', async () => {
    const header = JSON.stringify({ schema: TIMESERIES_SCHEMA, runId: 'r', startedAt: new Date().toISOString(), scenario: {} });
    const f = write('timeseries.ndjson', `${header}\n{"cell":"a","t":1,"junk":"${'z'.repeat(60 * 1024 * 1024)}"}\n`);
    expectUsage(await runCli(['report', f, '-o', join(dir, 'n.html')]), /line 2 is 60\.0 MiB long, over the 4\.0 MiB a framebench time-series line can be/);
  });
});

describe('chaos commands come from the scenario file', () => {
  it('are announced in --help and printed before they run', async () => {
    for (const cmd of ['run', 'sweep', 'soak']) {
      const help = await runCli([cmd, '--help']);
      expect(help.stdout).toMatch(/run shell commands on this machine/);
      expect(help.stdout).toMatch(/4 internal error/);
    }
    const marker = join(dir, 'ran.txt');
    const f = write('cmd.yaml', `clients: 2\nresolution: 240p\nrampUp: 100ms\nwarmup: 100ms\nduration: 1500ms\ndrainTimeout: 1s\ncorpusFrames: 4\nchaos:\n  - { kind: command, at: 300ms, run: "echo chaos-ran > ${marker}", timeout: 5s }\n`);
    const r = await runCli(['run', f, '--out', join(dir, 'cmd-out'), '--workers', '0', '--cache-dir', TEST_CACHE_DIR], { timeoutMs: 120_000 });
    expect(r.stderr).toContain('chaos: this scenario runs 1 shell command on this machine');
    expect(r.stderr).toContain(`chaos: running shell command from the scenario: echo chaos-ran > ${marker}`);
    expect(readFileSync(marker, 'utf8').trim()).toBe('chaos-ran');
    expect(resultsProblem(JSON.parse(readFileSync(join(dir, 'cmd-out', 'results.json'), 'utf8')))).toBeUndefined();
  }, 150_000);
});
