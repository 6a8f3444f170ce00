// Four shard processes on different 127.0.0.x source addresses against one reference server,
// started together with --start-at; their merge checked against the shards (exactly) and against
// one unsharded run of the same scenario (bench diff finds no significant regression). One shard's
// live metrics are scraped while it runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/hdr.js';
import type { Results } from '../../src/results/types.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { parsePromText, type PromSample } from '../../src/soak/prom-text.js';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const dir = tempDir('fb-shards-');
const file = join(dir, 'sharded.yaml');
writeFileSync(
  file,
  'name: sharded\nclients: 12\nrampUp: 500ms\nwarmup: 500ms\nduration: 4s\ndrainTimeout: 2s\nfps: 10\nframesPerRequest: 10\nresolution: 240p\ncorpusFrames: 10\nthresholds:\n  frame.p99: "< 1000"\n  counts.framesLost: "== 0"\n',
);
const read = (f: string): Results => JSON.parse(readFileSync(f, 'utf8')) as Results;

async function scrapeWhileRunning(stderr: () => string, until: Promise<unknown>): Promise<PromSample[]> {
  let last: PromSample[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const url = /live metrics: (http:\/\/\S+)/.exec(stderr())?.[1];
    if (url) {
      try {
        const samples = parsePromText(await (await fetch(url)).text());
        if (samples.some((s) => s.name === 'framebench_windows_total' && s.value > 0)) last = samples;
      } catch {
        // not listening yet, or already closed
      }
    }
    await new Promise((r) => setTimeout(r, 400));
  }
  return last;
}

describe('a sharded run merged', () => {
  let server: EmbeddedServer;
  beforeAll(async () => {
    server = await spawnEmbeddedServer({ cacheDir: TEST_CACHE_DIR });
  });
  afterAll(() => server.stop());

  it('4 shards on 4 source addresses merge exactly and match one unsharded run', async () => {
    // Far enough ahead for 4 processes to start on a busy 2-core machine; a late one still starts (tolerance) on a whole second.
    const startAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 12_000).toISOString();
    const common = [file, '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--workers', '0', '--start-at', startAt, '--start-tolerance', '30s', '--source-ips', '127.0.0.2-127.0.0.5', '--out', join(dir, 'run'), '-q'];
    let firstStderr = '';
    const shards = [1, 2, 3, 4].map((i) =>
      runCli(['run', ...common, '--shard', `${i}/4`, ...(i === 1 ? ['--metrics-port', '0'] : [])], {
        timeoutMs: 90_000,
        ...(i === 1 ? { onStderr: (text: string) => (firstStderr = text) } : {}),
      }),
    );
    const scraped = scrapeWhileRunning(() => firstStderr, shards[0]!);
    const outs = await Promise.all(shards);
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(firstStderr).toMatch(/shard 1\/4: waiting until .* for the synchronised start/);

    const files = [1, 2, 3, 4].map((i) => join(dir, 'run', `shard-${i}`, 'results.json'));
    const parts = files.map(read);
    expect(new Set(parts.map((p) => p.runId)).size).toBe(1);
    expect(parts.map((p) => p.shard?.sourceAddresses)).toEqual([['127.0.0.2'], ['127.0.0.3'], ['127.0.0.4'], ['127.0.0.5']]);
    expect(parts.map((p) => p.cells[0]!.params.clients)).toEqual([3, 3, 3, 3]);
    const starts = parts.map((p) => Date.parse(p.cells[0]!.measureStartedAt!));
    for (const t of starts) expect(Math.abs(t - Math.round(t / 1000) * 1000), 'measured windows start on a whole second').toBeLessThan(250);
    const keys = parts.map((p) => new Set(p.cells[0]!.timeseries.map((w) => Math.round((Date.parse(p.cells[0]!.measureStartedAt!) + w.t * 1000) / 1000))));
    const all = new Set(keys.flatMap((k) => [...k]));
    const partial = [...all].filter((k) => keys.some((ks) => !ks.has(k))).length;

    const merged = await runCli(['merge', ...files, '-o', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/merged 4 shards of run .*\nclock offset spread across shards: [\d.]+ ms/);
    const m = read(join(dir, 'merged', 'results.json'));
    const mc = m.cells[0]!;
    const sum = (f: (r: Results) => number): number => parts.reduce((n, p) => n + f(p), 0);
    for (const k of ['framesExpected', 'framesReceived', 'framesLost', 'bytesReceived', 'requests', 'connects', 'errors'] as const) {
      expect(mc.counts[k], k).toBe(sum((p) => p.cells[0]!.counts[k]));
    }
    expect(mc.latencyMs.frame.count).toBe(sum((p) => p.cells[0]!.latencyMs.frame.count));
    expect(decodeHistogram(mc.latencyMs.frame.hdr).totalCount).toBe(sum((p) => decodeHistogram(p.cells[0]!.latencyMs.frame.hdr).totalCount));
    expect(decodeHistogram(mc.latencyMs.lateness.hdr).totalCount).toBe(sum((p) => p.cells[0]!.latencyMs.lateness.count));
    expect(mc.timeseries.reduce((n, w) => n + decodeHistogram(w.hdr!).totalCount, 0)).toBe(mc.latencyMs.frame.count);
    expect(mc.timeseries).toHaveLength(all.size);
    expect(m.merge?.partialWindows).toBe(partial);
    expect(mc.params.clients).toBe(12);
    expect(m.ok).toBe(true);

    const samples = await scraped;
    const windows = samples.find((s) => s.name === 'framebench_windows_total');
    expect(windows?.labels).toMatchObject({ run_id: m.runId, shard: '1/4', cell: 'default' });
    const buckets = samples.filter((s) => s.name === 'framebench_frame_latency_seconds_bucket');
    expect(buckets.find((s) => s.labels.le === '+Inf')?.value).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'framebench_frame_lateness_seconds_count' && s.value > 0)).toBe(true);
    for (const name of ['framebench_connections', 'framebench_frames_lost_total', 'framebench_errors_total', 'framebench_harness_cpu_percent', 'framebench_harness_event_loop_delay_p99_seconds']) {
      expect(
        samples.some((s) => s.name === name),
        name,
      ).toBe(true);
    }

    const single = await runCli(['run', file, '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--workers', '0', '--out', join(dir, 'single'), '-q'], { timeoutMs: 60_000 });
    expect(single.code, single.stderr).toBe(0);
    const s = read(join(dir, 'single', 'results.json')).cells[0]!;
    // Same load within noise (a request starting right at a window's edge is measured in one run and
    // not the other; a busy machine shifts more); the verdict on noise is bench diff's.
    const both = `merged ${mc.counts.framesExpected} expected in ${mc.counts.requests} requests at ${mc.throughput.framesPerSec}/s over ${mc.durationSec} s, single ${s.counts.framesExpected} in ${s.counts.requests} at ${s.throughput.framesPerSec}/s over ${s.durationSec} s`;
    expect(Math.abs(mc.counts.framesExpected - s.counts.framesExpected) / s.counts.framesExpected, both).toBeLessThan(0.15);
    expect(Math.abs(mc.throughput.framesPerSec - s.throughput.framesPerSec) / s.throughput.framesPerSec, both).toBeLessThan(0.15);
    const diff = await runCli(['diff', join(dir, 'single', 'results.json'), join(dir, 'merged', 'results.json'), '--fail-on', 'worse', '-o', join(dir, 'diff.html'), '--md', join(dir, 'diff.md')]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
  }, 150_000);

  it('a soak in 2 shards: stage targets split, kill-clients on both, merged drift and chaos on the whole', async () => {
    const soak = join(dir, 'soak.yaml');
    writeFileSync(
      soak,
      'name: soak2\nfps: 10\nframesPerRequest: continuous\nresolution: 240p\ncorpusFrames: 10\ndrainTimeout: 2s\nheartbeat: { interval: 1s, timeout: 3s }\nstages:\n  - { duration: 1s, target: 5 }\n  - { duration: 4s, target: 5 }\n  - { duration: 1s, target: 0 }\nchaos:\n  - { kind: kill-clients, at: 2s, fraction: 0.5 }\nthresholds:\n  frame.p99: "< 1000"\n',
    );
    const startAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 10_000).toISOString();
    const outs = await Promise.all(
      [1, 2].map((i) =>
        runCli(['soak', soak, '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--workers', '1', '--shard', `${i}/2`, '--start-at', startAt, '--start-tolerance', '30s', '--out', join(dir, 'soak'), '-q'], { timeoutMs: 90_000 }),
      ),
    );
    for (const o of outs) expect([0, 1], o.stderr).toContain(o.code);
    const parts = [1, 2].map((i) => read(join(dir, 'soak', `shard-${i}`, 'results.json')));
    expect(parts.map((p) => p.cells[0]!.params.clients)).toEqual([3, 2]);
    const merged = await runCli(['merge', join(dir, 'soak'), '-o', join(dir, 'soak', 'merged')]);
    expect([0, 1], merged.stderr).toContain(merged.code);
    const m = read(join(dir, 'soak', 'merged', 'results.json'));
    const mc = m.cells[0]!;
    expect(mc.params.clients).toBe(5);
    expect(Math.max(...mc.timeseries.map((w) => w.connections))).toBeLessThanOrEqual(5);
    expect(mc.counts.framesReceived).toBe(parts.reduce((n, p) => n + p.cells[0]!.counts.framesReceived, 0));
    expect(
      mc.events
        .filter((e) => e.kind === 'kill-clients')
        .map((e) => e.shard)
        .sort(),
    ).toEqual(['1/2', '2/2']);
    expect(mc.chaos?.faults).toHaveLength(1);
    expect(m.soak?.stages).toEqual(parts[0]!.soak?.stages);
    expect(m.soak?.drift?.window).toEqual(parts[0]!.soak?.holdWindow);
  }, 120_000);

  it('refuses to start a shard whose --start-at is already past (exit 3)', async () => {
    const r = await runCli(['run', file, '--target', server.url, '--shard', '1/2', '--start-at', new Date(Date.now() - 60_000).toISOString(), '--out', join(dir, 'late')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--start-at .* passed 6\d\.\d s ago \(tolerance 5\.0 s\)/);
  });

  it('a sharded run needs a shared identity', async () => {
    const r = await runCli(['run', file, '--target', server.url, '--shard', '1/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a sharded run needs --start-at');
  });
});
