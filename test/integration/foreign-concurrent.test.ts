// Several streams per connection against a Node `ws` server that streams every request on a socket
// at once and announces each binary frame with a meta message carrying its request_id: every frame
// and done is routed to its own request, per-stream accounting holds (expected = received + lost),
// and the counts agree with what the server recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { median, startWsServer, type ForeignServer, type ServerRecord } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const SCENARIO = join(ROOT, 'scenarios', 'protocols', 'concurrent-streams.yaml');
const servers: ForeignServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

type Rec = ServerRecord & { maxActivePerConnection: number; requests: Array<ServerRecord['requests'][number] & { connection: number }> };

describe('several streams per connection matched by request id', () => {
  it('3 streams per socket: frames and done routed by id, nothing lost, counts match the server record', async () => {
    const server = await startWsServer('--frame-meta');
    servers.push(server);
    const out = tempDir('fb-foreign-concurrent-');
    const sets = ['clients=4', 'rampUp=400ms', 'warmup=1s', 'duration=5s', 'framesPerRequest=20', 'fps=30'];
    const r = await runCli(['run', SCENARIO, '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s])], { timeoutMs: 90_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    const rec = await server.record<Rec>();
    expect(rec.maxActivePerConnection).toBe(3);
    // every client's connection really carried 3 requests at once (a preflight connection sends none)
    const conns = [...new Set(rec.requests.map((q) => q.connection))];
    expect(conns).toHaveLength(4);
    for (const conn of conns) {
      const mine = rec.requests.filter((q) => q.connection === conn);
      const overlapping = mine.filter((q) => q.doneAt !== null && mine.some((o) => o !== q && o.receivedAt < q.doneAt! && (o.doneAt ?? Infinity) > q.receivedAt));
      expect(overlapping.length).toBeGreaterThan(mine.length / 2);
    }
    expect(Object.keys(rec.messagesByType)).toEqual(['generate']);
    expect(cell.counts.errors).toBe(0);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(20);
    expect(cell.counts.requestsCompleted).toBeLessThanOrEqual(rec.requests.filter((q) => q.doneAt !== null).length);
    expect(cell.counts.framesReceived).toBeLessThanOrEqual(rec.framesSent);
    // every stream got the 20 frames it asked for, at the server's pace, though 3 share a socket
    expect(cell.streams!.framesAsked).toBe(cell.streams!.count * 20);
    expect(cell.streams!.framesPerRequest.min).toBeCloseTo(20, 0);
    expect(cell.streams!.framesPerRequest.max).toBeCloseTo(20, 0);
    const serverFps = median(rec.requests.filter((q) => q.frames > 1).map((q) => ((q.frames - 1) * 1000) / (q.frameTimes.at(-1)! - q.frameTimes[0]!)));
    expect(Math.abs(cell.streams!.deliveredFps.p50 - serverFps) / serverFps).toBeLessThan(0.05);
    const serverDone = median(rec.requests.filter((q) => q.doneAt !== null).map((q) => q.doneAt! - q.receivedAt));
    expect(Math.abs(cell.latencyMs.timeToDone!.p50 - serverDone)).toBeLessThan(60);
    // per-stream gaps stay near 1/fps: frames of the other streams are not taken as this one's
    expect(cell.latencyMs.gap!.p50).toBeGreaterThan(28);
    expect(cell.latencyMs.gap!.p50).toBeLessThan(40);
  }, 120_000);

  it('refused requests are routed by id to their own stream: each loses its frames, the others complete, expected = received + lost', async () => {
    const server = await startWsServer('--frame-meta', '--max-requests', '24');
    servers.push(server);
    const out = tempDir('fb-foreign-concurrent-refused-');
    const sets = ['clients=3', 'rampUp=0s', 'warmup=0s', 'duration=3s', 'framesPerRequest=20', 'fps=30'];
    const r = await runCli(['run', SCENARIO, '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s])], { timeoutMs: 90_000 });
    expect([0, 1]).toContain(r.code);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    const rec = await server.record<Rec>();
    expect(rec.refused).toBeGreaterThan(0);
    const refusedCounted = cell.errorsByKind.server_quota_exceeded ?? 0;
    expect(refusedCounted).toBeGreaterThan(0);
    expect(refusedCounted).toBeLessThanOrEqual(rec.refused!);
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    // only refused requests lose frames, 20 each; the streams the server served are whole
    expect(cell.counts.framesLost % 20).toBe(0);
    expect(cell.counts.framesLost / 20).toBeLessThanOrEqual(refusedCounted);
    expect(cell.counts.framesLost).toBeGreaterThan(0);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(0);
    expect(cell.counts.requestsCompleted).toBeLessThanOrEqual(rec.requests.filter((q) => q.doneAt !== null).length);
    expect(cell.counts.framesReceived).toBeLessThanOrEqual(rec.framesSent);
    expect(cell.errorsByKind.frame_without_request_id).toBeUndefined();
  }, 120_000);

  it('the same server with 1 stream per connection: one request at a time per socket', async () => {
    const server = await startWsServer('--frame-meta');
    servers.push(server);
    const out = tempDir('fb-foreign-concurrent1-');
    const sets = ['clients=2', 'rampUp=200ms', 'warmup=500ms', 'duration=2s', 'framesPerRequest=10', 'fps=30', 'protocol.correlation.streams=1'];
    const r = await runCli(['run', SCENARIO, '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s])], { timeoutMs: 90_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const rec = await server.record<Rec>();
    expect(rec.maxActivePerConnection).toBe(1);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(5);
  }, 120_000);
});
