// Fail closed end to end: the shipped scenarios against a server that speaks another protocol exit
// 1 with the reason on the terminal; a run interrupted before it measured anything is not ok.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';
import { startForeignServer, type ForeignServer } from './foreign-binary-server.js';

const FAST = ['--set', 'clients=4', '--set', 'rampUp=200ms', '--set', 'warmup=300ms', '--set', 'duration=1500ms', '--set', 'drainTimeout=1s'];
const HEADER_REASON = /✗ \S+: 0 of \d+ binary messages carried a framebench header: the target does not speak the reference protocol; see `protocol:` in the README/;

let server: ForeignServer;
beforeAll(async () => {
  server = await startForeignServer();
});
afterAll(async () => {
  await server.close();
});

const results = (out: string): Record<string, any> => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

describe('shipped scenarios against a server that speaks another protocol', () => {
  it('bench run scenarios/quick.yaml exits 1, prints the reason and every threshold as not measured', async () => {
    const out = tempDir('fb-foreign-quick-');
    const r = await runCli(['run', 'scenarios/quick.yaml', '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--out', out, ...FAST, '--set', 'sweep.format=[webp]', '--set', 'sweep.bufferDepth=[1]'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cell failed: 0 of \d+ binary messages carried a framebench header.*\(\+2 more, see the summary\)/);
    expect(server.sent.frames).toBeGreaterThan(0);
    expect(r.stdout).toMatch(HEADER_REASON);
    expect(r.stdout).toContain('frame.p99 < 150: not measured (0 frames)');
    expect(r.stdout).toContain('counts.framesLost == 0: not measured (0 frames expected)');
    expect(r.stdout).toContain('thresholds: 3 of 3 failed (3 not measured)');
    expect(r.stdout).toMatch(/verdict: FAIL: 1 of 1 cell failed · 3 of 3 thresholds failed/);
    expect(r.stdout).not.toContain('passed');
    const res = results(out);
    expect(res.ok).toBe(false);
    const cell = res.cells[0];
    expect(cell.ok).toBe(false);
    expect(cell.failures.map((f: { kind: string }) => f.kind)).toEqual(expect.arrayContaining(['protocol_errors', 'no_frames']));
    expect(cell.counts.messagesBinary).toBeGreaterThan(0);
    expect(cell.errorsByKind.bad_frame).toBe(cell.counts.messagesBinary);
    expect(cell.thresholds.map((t: { status: string }) => t.status)).toEqual(['not_measured', 'not_measured', 'not_measured']);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('#### Failed cells');
    expect(md).toContain('frame.p99 \\< 150: not measured (0 frames)');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('carried a framebench header');
  });

  it('bench sweep scenarios/ci.yaml exits 1 with the reason in the terminal and JUnit', async () => {
    const out = tempDir('fb-foreign-ci-');
    const junit = join(out, 'junit.xml');
    const cell = ['--set', 'sweep.format=[webp]', '--set', 'sweep.resolution=[480p]', '--set', 'sweep.bufferDepth=[5]'];
    const r = await runCli(['sweep', 'scenarios/ci.yaml', '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--out', out, '--junit', junit, '--quiet', ...FAST, ...cell], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(HEADER_REASON);
    expect(r.stdout).toContain('playback.stallRatio < 0.01: not measured (0 playback startups)');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('name="cell: protocol_errors"');
    expect(xml).toContain('<failure message="not measured (0 frames)" type="not_measured">');
    expect(results(out).ok).toBe(false);
  });

  it('bench run scenarios/chaos.yaml exits 1: chaos thresholds without a recovery to measure are not measured', async () => {
    const out = tempDir('fb-foreign-chaos-');
    const r = await runCli(['run', 'scenarios/chaos.yaml', '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--out', out, '--quiet', ...FAST], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(HEADER_REASON);
    expect(r.stdout).toContain('chaos.unrecovered == 0: not measured (0 faults injected)');
    expect(r.stdout).toContain('counts.framesExpected > 0: not measured (0 frames expected)');
  });

  it('bench soak scenarios/soak.yaml exits 1 and prints why on the terminal, drift included', async () => {
    const out = tempDir('fb-foreign-soak-');
    const r = await runCli(
      [
        'soak',
        'scenarios/soak.yaml',
        '--target',
        server.url,
        '--peak',
        '2',
        '--multiplier',
        '1',
        '--duration',
        '2s',
        '--set',
        'rampUp=300ms',
        '--set',
        'drainTimeout=1s',
        '--set',
        'scrape.fromTarget=false',
        '--cache-dir',
        TEST_CACHE_DIR,
        '--out',
        out,
        '--quiet',
      ],
      { timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(HEADER_REASON);
    expect(r.stdout).toMatch(/✗ soak: drift\.frame\.p99 < 25%: not measured \(/);
    expect(r.stdout).toMatch(/verdict: FAIL: .*thresholds failed/);
    expect(results(out).ok).toBe(false);
  });
});

describe('interrupted before anything was measured', () => {
  it('exits 130 with results ok: false and every threshold not measured', async () => {
    const out = tempDir('fb-interrupt-empty-');
    let sent = false;
    const r = await runCli(['run', 'scenarios/quick.yaml', '--cache-dir', TEST_CACHE_DIR, '--out', out, '--set', 'rampUp=5s', '--set', 'warmup=2s', '--set', 'clients=2', '--set', 'sweep.format=[webp]', '--set', 'sweep.bufferDepth=[1]'], {
      timeoutMs: 90_000,
      onStderr: (text, child) => {
        if (!sent && text.includes('ramp-up')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    const res = results(out);
    expect(res.interrupted).toBe(true);
    expect(res.ok).toBe(false);
    const cell = res.cells[0];
    expect(cell.ok).toBe(false);
    expect(cell.failures).toEqual([{ kind: 'interrupted_empty', reason: expect.stringContaining('interrupted before anything was measured') }]);
    expect(cell.thresholds.every((t: { ok: boolean; status: string }) => !t.ok && t.status === 'not_measured')).toBe(true);
    expect(r.stdout).toContain('frame.p99 < 150: not measured (0 frames)');
  });
});
