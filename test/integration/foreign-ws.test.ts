// framebench against a Node `ws` server it did not write (plain binary WebP frames, then a JSON
// done with its own field names): counts, fps, time to done and bytes compared with what the
// server recorded; a slower model and a stall move gaps, lateness and time to done by the injected
// amounts, and `bench diff` calls the run worse.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { median, startWsServer, type ForeignServer } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const SCENARIO = join(ROOT, 'scenarios', 'protocols', 'binary-then-json-done.yaml');
const servers: ForeignServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function run(server: ForeignServer, out: string, sets: string[]): Promise<{ results: Results; stdout: string; code: number | null }> {
  const args = ['run', SCENARIO, '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0'];
  for (const s of sets) args.push('--set', s);
  const r = await runCli(args, { timeoutMs: 90_000 });
  if (r.code !== 0 && r.code !== 1) throw new Error(`bench run exited ${r.code}\n${r.stderr}`);
  return { results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, stdout: r.stdout, code: r.code };
}

describe('a foreign ws server spoken to in the reference protocol', () => {
  it('its own error shape ({ type: error, error: { code } }) is counted, and the run fails closed with a reason naming protocol:', async () => {
    const server = await startWsServer();
    servers.push(server);
    const out = tempDir('fb-foreign-reference-');
    const r = await runCli(['run', join(ROOT, 'scenarios', 'quick.yaml'), '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--set', 'clients=3', '--set', 'duration=2s', '--set', 'warmup=0s', '--workers', '0'], {
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/TypeError/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.ok).toBe(false);
    expect(results.cells.length).toBe(4);
    for (const cell of results.cells) {
      expect(cell.ok).toBe(false);
      expect(cell.counts.framesReceived).toBe(0);
      expect(cell.errorsByKind.server_error).toBeGreaterThan(0);
      expect(cell.failures?.map((f) => f.reason).join(' ')).toMatch(/protocol:/);
    }
  });
});

describe('a foreign ws server: binary frames then a JSON done', () => {
  const sets = ['clients=5', 'rampUp=500ms', 'warmup=1s', 'duration=6s', 'framesPerRequest=20', 'fps=30'];
  let base: Results;
  let baseDir: string;

  it('counts, fps, time to done and bytes match what the server sent; nothing it did not ask for was sent', async () => {
    const server = await startWsServer();
    servers.push(server);
    baseDir = tempDir('fb-foreign-base-');
    const { results, stdout, code } = await run(server, baseDir, sets);
    base = results;
    const rec = await server.record();
    const cell = results.cells[0]!;
    expect(code).toBe(0);
    expect(cell.protocol).toBe('declarative');
    expect(Object.keys(rec.messagesByType)).toEqual(['generate']);
    for (const r of rec.requests) expect(r.request_id).toMatch(/-\d+$/);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(10);
    expect(cell.counts.requestsCompleted).toBeLessThanOrEqual(rec.requests.filter((r) => r.doneAt !== null).length);
    expect(cell.counts.framesReceived).toBeLessThanOrEqual(rec.framesSent);
    expect(cell.counts.errors).toBe(0);
    // frame latency needs a server timestamp: absent, not 0
    expect(cell.latencyMs.frame.count).toBe(0);
    expect(stdout).toMatch(/frame latency: not measured/);
    expect(cell.streams!.framesAsked).toBe(cell.streams!.count * 20);
    expect(cell.streams!.framesPerRequest.p50).toBeCloseTo(20, 0);
    const serverFps = median(rec.requests.filter((r) => r.frames > 1).map((r) => ((r.frames - 1) * 1000) / (r.frameTimes.at(-1)! - r.frameTimes[0]!)));
    expect(Math.abs(cell.streams!.deliveredFps.p50 - serverFps) / serverFps).toBeLessThan(0.05);
    const serverDone = median(rec.requests.filter((r) => r.doneAt !== null).map((r) => r.doneAt! - r.receivedAt));
    expect(Math.abs(cell.latencyMs.timeToDone!.p50 - serverDone)).toBeLessThan(60);
    expect(cell.latencyMs.gap!.p50).toBeGreaterThan(28);
    expect(cell.latencyMs.gap!.p50).toBeLessThan(40);
    const serverBytes = rec.bytesSent / rec.framesSent;
    expect(Math.abs(cell.throughput.payloadBytesPerFrame! - serverBytes) / serverBytes).toBeLessThan(0.03);
    expect(results.codecs?.[0]?.targetBytesPerFrame).toBe(cell.throughput.payloadBytesPerFrame);
    expect(cell.playback!.startupMs.count).toBeGreaterThan(0);
  }, 120_000);

  it('a 50 ms slower model and a 1 s stall move gaps, lateness and time to done by those amounts; bench diff calls it worse', async () => {
    const server = await startWsServer('--delay-ms', '50', '--stall-ms', '1000', '--stall-after', '150');
    servers.push(server);
    const headDir = tempDir('fb-foreign-head-');
    const { results } = await run(server, headDir, sets);
    const rec = await server.record();
    expect(rec.stalls ?? []).toHaveLength(1);
    const b = base.cells[0]!;
    const h = results.cells[0]!;
    const gapShift = h.latencyMs.gap!.p50 - b.latencyMs.gap!.p50;
    expect(gapShift).toBeGreaterThan(40);
    expect(gapShift).toBeLessThan(65);
    expect(h.latencyMs.gap!.max).toBeGreaterThan(950);
    expect(h.latencyMs.lateness.max - b.latencyMs.lateness.max).toBeGreaterThan(950);
    const doneShift = h.latencyMs.timeToDone!.p50 - b.latencyMs.timeToDone!.p50;
    expect(doneShift).toBeGreaterThan(0.8 * 19 * 50);
    expect(doneShift).toBeLessThan(1.4 * 20 * 50 + 100);
    expect(h.latencyMs.timeToDone!.max - b.latencyMs.timeToDone!.max).toBeGreaterThan(19 * 50 + 900);
    const diff = await runCli(['diff', join(baseDir, 'results.json'), join(headDir, 'results.json'), '--fail-on', 'any-worse', '--all'], { timeoutMs: 60_000 });
    expect(diff.code).toBe(1);
    const text = diff.stdout;
    for (const label of ['inter-arrival gap p99', 'time to done p50', 'lateness p99']) expect(text).toMatch(new RegExp(`${label}[^\\n]*worse`));
    expect(text).not.toMatch(/frame latency p50/);
  }, 120_000);

  it('a protocol module (the shipped example) drives the same server; the sampled image check counts wrong format and size', async () => {
    const server = await startWsServer();
    servers.push(server);
    const dir = tempDir('fb-foreign-module-');
    const file = join(dir, 'module.yaml');
    writeFileSync(file, `protocol: { module: ${join(ROOT, 'scenarios', 'protocols', 'my-protocol.mjs')} }\nclients: 3\nrampUp: 300ms\nwarmup: 500ms\nduration: 3s\nframesPerRequest: 10\nresolution: 240p\n`);
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '1'], { timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(cell.protocol).toMatch(/^module .*my-protocol\.mjs$/);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(5);
    expect(cell.counts.errors).toBe(0);
    // the server sends JPEG at 320×180 where WebP 854×480 (then JPEG 426×240) was asked for
    const wrong = join(dir, 'wrong.yaml');
    const base = readFileSync(SCENARIO, 'utf8').replace('format: "${format}"', 'format: jpeg').replace('width: "${width}", height: "${height}"', 'width: 320, height: 180');
    writeFileSync(wrong, base);
    const out2 = join(dir, 'out2');
    await runCli(['run', wrong, '--target', server.url, '--out', out2, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s]), '--set', 'duration=2s'], { timeoutMs: 90_000 });
    const w = (JSON.parse(readFileSync(join(out2, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(w.errorsByKind.frame_wrong_format).toBeGreaterThan(0);
    expect(w.errorsByKind.frame_wrong_size).toBeUndefined();
    const out3 = join(dir, 'out3');
    await runCli(['run', wrong, '--target', server.url, '--out', out3, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s]), '--set', 'duration=2s', '--set', 'format=jpeg'], {
      timeoutMs: 90_000,
    });
    const z = (JSON.parse(readFileSync(join(out3, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(z.errorsByKind.frame_wrong_size).toBeGreaterThan(0);
    expect(z.errorsByKind.frame_wrong_format).toBeUndefined();
    // sampled: about 1 in 50 frames is checked
    expect(z.errorsByKind.frame_wrong_size).toBeLessThan(z.counts.framesReceived / 10);
  }, 150_000);
});
