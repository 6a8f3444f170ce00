// framebench against a Python asyncio server (Debian's python3-websockets) it did not write:
// request_id strings, base64 JPEG frames in JSON on /b64, a meta message before each binary frame
// on /meta, heartbeats in between, and a rate limit that refuses requests with its own error code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { SYSTEM_PYTHON, median, startPythonServer, type ForeignServer, type ServerRecord } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const servers: ForeignServer[] = [];
let jpeg = '';
let jpegBytes = 0;

beforeAll(async () => {
  jpeg = join(tempDir('fb-py-frame-'), 'frame.jpg');
  const info = await sharp({ create: { width: 854, height: 480, channels: 3, background: { r: 90, g: 120, b: 200 }, noise: { type: 'gaussian', mean: 128, sigma: 10 } } })
    .jpeg({ quality: 75 })
    .toFile(jpeg);
  jpegBytes = info.size;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function run(scenario: string, target: string, sets: string[]): Promise<{ results: Results; code: number | null; stdout: string }> {
  const out = tempDir('fb-py-run-');
  const args = ['run', join(ROOT, 'scenarios', 'protocols', scenario), '--target', target, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0'];
  for (const s of sets) args.push('--set', s);
  const r = await runCli(args, { timeoutMs: 90_000 });
  if (r.code !== 0 && r.code !== 1) throw new Error(`bench run exited ${r.code}\n${r.stderr}`);
  return { results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, code: r.code, stdout: r.stdout };
}

function compareWithRecord(results: Results, rec: ServerRecord, frames: number): void {
  const cell = results.cells[0]!;
  expect(Object.keys(rec.messagesByType)).toEqual(['generate']);
  expect(rec.heartbeats).toBeGreaterThan(0);
  expect(cell.counts.errors).toBe(0);
  expect(cell.counts.framesLost).toBe(0);
  expect(cell.counts.requestsCompleted).toBeGreaterThan(3);
  expect(cell.counts.requestsCompleted).toBeLessThanOrEqual(rec.requests.filter((r) => r.doneAt !== null).length);
  expect(cell.counts.framesReceived).toBe(cell.counts.requestsCompleted * frames);
  expect(cell.streams!.framesPerRequest.p50).toBeCloseTo(frames, 0);
  const serverFps = median(rec.requests.filter((r) => r.frames > 1).map((r) => ((r.frames - 1) * 1000) / (r.frameTimes.at(-1)! - r.frameTimes[0]!)));
  expect(Math.abs(cell.streams!.deliveredFps.p50 - serverFps) / serverFps).toBeLessThan(0.05);
  const serverDone = median(rec.requests.filter((r) => r.doneAt !== null).map((r) => r.doneAt! - r.receivedAt));
  expect(Math.abs(cell.latencyMs.timeToDone!.p50 - serverDone)).toBeLessThan(60);
  // the frames carry a timestamp: frame latency is measured (same host, one clock)
  expect(cell.latencyMs.frame.count).toBe(cell.latencyMs.lateness.count);
  expect(cell.latencyMs.frame.count).toBeGreaterThan(0.8 * cell.counts.framesReceived);
  expect(cell.latencyMs.frame.p50).toBeLessThan(50);
  expect(cell.throughput.payloadBytesPerFrame).toBe(jpegBytes);
  expect(results.codecs?.[0]?.targetBytesPerFrame).toBe(jpegBytes);
}

describe(`a foreign Python websockets server (${SYSTEM_PYTHON})`, () => {
  const sets = ['clients=4', 'rampUp=500ms', 'warmup=1s', 'duration=4s', 'framesPerRequest=10', 'fps=10'];

  it('base64 JPEG frames in JSON with heartbeats: counts, fps and time to done match the server record', async () => {
    const server = await startPythonServer('--jpeg', jpeg, '--heartbeat-ms', '300');
    servers.push(server);
    const { results, code } = await run('base64-json-frames.yaml', `${server.url}/b64`, sets);
    expect(code).toBe(0);
    compareWithRecord(results, await server.record(), 10);
  }, 120_000);

  it('a meta message before each binary frame: the frame gets its seq and timestamp', async () => {
    const server = await startPythonServer('--jpeg', jpeg, '--heartbeat-ms', '300');
    servers.push(server);
    const { results, code } = await run('meta-then-binary.yaml', `${server.url}/meta`, sets);
    expect(code).toBe(0);
    compareWithRecord(results, await server.record(), 10);
  }, 120_000);

  it('a server that refuses every request fails the gate, with its own error code counted', async () => {
    const server = await startPythonServer('--jpeg', jpeg, '--rate-limit', '0');
    servers.push(server);
    const { results, code, stdout } = await run('base64-json-frames.yaml', `${server.url}/b64`, ['clients=3', 'rampUp=0s', 'warmup=500ms', 'duration=3s']);
    const rec = await server.record();
    const cell = results.cells[0]!;
    expect(code).toBe(1);
    expect(results.ok).toBe(false);
    expect(cell.counts.framesReceived).toBe(0);
    expect(cell.errorsByKind.server_rate_limited).toBeGreaterThan(0);
    expect(cell.errorsByKind.server_rate_limited).toBeLessThanOrEqual(rec.refused!);
    expect(rec.requests).toHaveLength(0);
    // refused requests back off instead of hammering the server
    expect(rec.refused!).toBeLessThan(3 * 4.5 * 15);
    expect(stdout).toMatch(/server_rate_limited/);
  }, 120_000);
});
