import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { runCli, scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const dir = tempDir('fb-sweep-');
const short = 'rampUp: 200ms\nwarmup: 300ms\nduration: 1500ms\ndrainTimeout: 2s\nfps: 15\nframesPerRequest: 15\ncorpusFrames: 12\n';

describe('bench sweep', () => {
  it('a 2×2 sweep on loopback gives 4 cells; PNG costs more bytes per frame than WebP; outputs are written', async () => {
    const file = join(dir, 'matrix.yaml');
    writeFileSync(file, `${short}clients: 6\nresolution: 240p\nsweep:\n  format: [webp, png]\n  bufferDepth: [1, 5]\nthresholds:\n  counts.connectFailures: "== 0"\n`);
    const out = join(dir, 'matrix');
    const junit = join(dir, 'junit.xml');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['sweep', file, '--cache-dir', TEST_CACHE_DIR, '--out', out, '--junit', junit, '--summary', summary], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cell 1\/4 format=webp bufferDepth=1/);
    expect(r.stderr).toMatch(/cell 4\/4 format=png bufferDepth=5 · elapsed \S+ · remaining ~\S+/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.cells.map((c: { id: string }) => c.id)).toEqual(['webp-buf1', 'webp-buf5', 'png-buf1', 'png-buf5']);
    const bpf = (id: string): number => results.cells.find((c: { id: string }) => c.id === id).throughput.bytesPerFrame;
    expect(bpf('png-buf1')).toBeGreaterThan(bpf('webp-buf1'));
    expect(bpf('png-buf5')).toBeGreaterThan(bpf('webp-buf5'));
    for (const c of results.cells) {
      expect(c.counts.framesExpected).toBe(c.counts.framesReceived + c.counts.framesLost);
      expect(c.playback.startupMs.count).toBeGreaterThan(0);
    }
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('png');
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase[^>]+name="counts.connectFailures == 0"/);
    const appended = readFileSync(summary, 'utf8');
    expect(appended.startsWith('# earlier step\n')).toBe(true);
    expect(appended).toContain('webp');
  });

  it('exits 1 and names the threshold when one fails', async () => {
    const file = join(dir, 'failing.yaml');
    writeFileSync(file, `${short}clients: 3\nresolution: 240p\nthresholds:\n  throughput.framesPerSec: "> 100000"\n`);
    const out = join(dir, 'failing');
    const r = await runCli(['sweep', file, '--cache-dir', TEST_CACHE_DIR, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/thresholds: 1 of 1 failed/);
    expect(r.stdout).toMatch(/✗ default: throughput.framesPerSec > 100000: measured [\d.]+ \([\d.]+% under\)/);
    expect(r.stdout).toContain('verdict: FAIL: 1 of 1 threshold failed');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.ok).toBe(false);
    expect(results.cells[0].thresholds[0]).toMatchObject({ expr: 'throughput.framesPerSec > 100000', ok: false });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('throughput.framesPerSec &gt; 100000');
  });

  it('bench report re-renders a report from a results file, and rejects other files', async () => {
    const out = join(dir, 'failing');
    const html = join(dir, 'again.html');
    const r = await runCli(['report', join(out, 'results.json'), '-o', html, '--md', join(dir, 'again.md')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<canvas/);
    expect(readFileSync(join(dir, 'again.md'), 'utf8')).toContain('throughput.framesPerSec');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ schema: 'something/else@2' }));
    const bad = await runCli(['report', other]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('schema "something/else@2" is not supported; expected "framebench/results@1"');
  });

  it('base64-json transport streams frames as JSON text and accounts for them exactly', async () => {
    const { results } = await runScenario(scenario({ clients: 5, rampUp: '200ms', warmup: '300ms', duration: '1500ms', fps: 15, framesPerRequest: 15, resolution: '240p', corpusFrames: 12, transport: 'base64-json' }), {
      command: 'run',
      outDir: tempDir(),
      cacheDir: TEST_CACHE_DIR,
    });
    const c = results.cells[0]!;
    expect(c.counts.framesReceived).toBeGreaterThan(5 * 15);
    expect(c.counts.framesLost).toBe(0);
    expect(c.counts.errors).toBe(0);
    expect(c.latencyMs.frame.count).toBeGreaterThan(0);
    const binaryCodec = results.codecs![0]!.meanBytes;
    expect(c.throughput.bytesPerFrame).toBeGreaterThan(binaryCodec * 1.3);
  });

  it('repeat: N keeps each run and aggregates them exactly', async () => {
    const { results } = await runScenario(scenario({ clients: 4, rampUp: '100ms', warmup: '200ms', duration: '1s', fps: 15, framesPerRequest: 15, resolution: '240p', corpusFrames: 12, repeat: 2 }), {
      command: 'sweep',
      outDir: tempDir(),
      cacheDir: TEST_CACHE_DIR,
    });
    expect(results.cells).toHaveLength(1);
    const cell = results.cells[0]!;
    expect(cell.repeats).toHaveLength(2);
    const [a, b] = cell.repeats!;
    expect(cell.counts.framesReceived).toBe(a!.counts.framesReceived + b!.counts.framesReceived);
    expect(cell.latencyMs.frame.count).toBe(a!.latencyMs.frame.count + b!.latencyMs.frame.count);
    expect(cell.latencyMs.frame.max).toBe(Math.max(a!.latencyMs.frame.max, b!.latencyMs.frame.max));
    expect(cell.events.filter((e) => e.kind === 'repeat-end')).toHaveLength(2);
  });
});
