// `bench run` with browser viewers, end to end through the CLI: Node clients and Chromium pages in
// one cell, the browser block in results.json (valid against the schema), report and summary
// tables, browser thresholds; Ctrl-C still writes the viewers' figures and exits 130.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read.js';
import { skipBrowser } from '../browser.js';
import { runCli, tempDir, TEST_CACHE_DIR } from '../helpers.js';
import { rmSync } from 'node:fs';

const dir = tempDir('fb-browser-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `clients: { node: 4, browser: 1 }
browsers: { streams: 3 }
rampUp: 1s
warmup: 1s
duration: 3s
drainTimeout: 2s
fps: 15
framesPerRequest: 30
resolution: 320x180
bufferDepth: 3
corpusFrames: 8
thresholds:
  browser.framesPainted: "> 0"
  browser.decode.p99: "< 5000"
`;

describe.skipIf(skipBrowser)('bench run with browser viewers', () => {
  it('measures Node clients and Chromium viewers in one cell and reports both', async () => {
    const file = join(dir, 'viewers.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'run');
    const r = await runCli(['run', file, '--cache-dir', TEST_CACHE_DIR, '--out', out], { timeoutMs: 120_000 });
    expect(r.stderr + r.stdout).not.toMatch(/interrupted/);
    expect(r.code).toBe(0);
    const results = await readResults(join(out, 'results.json'));
    const cell = results.cells[0];
    expect(cell?.counts.connects).toBe(4);
    const b = cell?.browser;
    expect(b).toMatchObject({ pages: 1, pagesReported: 1, streams: 3, connected: 3, errors: [] });
    expect(b?.framesPainted).toBeGreaterThan(30);
    expect(b?.decode.count).toBe(b?.framesDecoded);
    expect(cell?.thresholds.map((t) => t.status)).toEqual(['pass', 'pass']);
    expect(r.stdout).toMatch(/browser viewers \(Chromium/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Browser decode cost (Chromium)');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/#### Browser viewers \(Chromium\)\n\n\| format/);
  }, 150_000);

  it('--browsers adds viewers to any scenario; Ctrl-C writes their figures and exits 130', async () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(file, 'clients: 3\nrampUp: 0s\nwarmup: 1s\nduration: 60s\nresolution: 320x180\nfps: 15\ncorpusFrames: 8\nbrowsers: { streams: 2 }\n');
    const out = join(dir, 'interrupted');
    let sent = false;
    const r = await runCli(['run', file, '--browsers', '1', '--cache-dir', TEST_CACHE_DIR, '--out', out], {
      timeoutMs: 120_000,
      onStderr: (text, child) => {
        if (!sent && text.includes('measure')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 3000);
        }
      },
    });
    expect(r.code).toBe(130);
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.interrupted).toBe(true);
    expect(results.cells[0].browser.pages).toBe(1);
    expect(results.cells[0].browser.framesPainted).toBeGreaterThan(0);
  }, 150_000);

  it('a browser threshold on a cell without viewers is not measured (fail closed)', async () => {
    const file = join(dir, 'none.yaml');
    writeFileSync(file, 'clients: 2\nrampUp: 0s\nwarmup: 0s\nduration: 1s\nresolution: 320x180\ncorpusFrames: 8\nthresholds:\n  browser.decode.p99: "< 50"\n');
    const out = join(dir, 'none');
    const r = await runCli(['run', file, '--cache-dir', TEST_CACHE_DIR, '--out', out]);
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.cells[0].thresholds[0]).toMatchObject({ status: 'not_measured', reason: expect.stringMatching(/no browser viewers/) });
  }, 60_000);
});
