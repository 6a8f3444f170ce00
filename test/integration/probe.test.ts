// `bench probe` against servers framebench did not write (and its own): the messages classified,
// a starter scenario that `bench run` accepts as it is and that measures the server, and plain
// words when what it sees does not fit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { startPythonServer, startWsServer, type ForeignServer } from '../foreign-servers.js';
import { TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const servers: ForeignServer[] = [];
let embedded: EmbeddedServer | undefined;
let jpeg = '';
beforeAll(async () => {
  jpeg = join(tempDir('fb-probe-frame-'), 'frame.jpg');
  await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 10, g: 200, b: 90 } } })
    .jpeg({ quality: 70 })
    .toFile(jpeg);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await embedded?.stop('SIGTERM');
});

const WS_REQUEST = JSON.stringify({ type: 'generate', request_id: 'r1', prompt: 'a fox', count: 12, fps: 20, width: 854, height: 480, format: 'webp' });

describe('bench probe', () => {
  it('a ws server with plain binary frames then a JSON done: classified, and the starter scenario measures it', async () => {
    const server = await startWsServer();
    servers.push(server);
    const file = join(tempDir('fb-probe-'), 'my-server.yaml');
    const r = await runCli(['probe', `${server.url}/`, '--request', WS_REQUEST, '-o', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/binary\s+\d+\.\d KB\s+WEBP 854×480/);
    expect(r.stdout).toMatch(/text\s+\d+ B\s+\{"type":"done","request_id":"r1"/);
    expect(r.stdout).toMatch(/frames: 12 · delivered \d+(\.\d)? fps · time to first frame/);
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    expect(doc.protocol.done).toEqual({ match: { type: 'done' }, requestId: 'request_id', frames: 'frames_sent' });
    expect(doc.protocol.request.template.request_id).toBe('${requestId}');
    expect(doc.protocol.request.template.count).toBe('${frames}');
    expect(doc).toMatchObject({ fps: 20, framesPerRequest: 12, format: 'webp', resolution: '480p' });
    const fit = await runCli(['probe', `${server.url}/`, '--scenario', file]);
    expect(fit.stdout).toMatch(/reads them as: frame ×12, done ×1/);
    expect(fit.code).toBe(0);
    const out = tempDir('fb-probe-run-');
    const run = await runCli(['run', file, '--set', 'duration=3s', '--set', 'warmup=500ms', '--set', 'clients=3', '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0'], { timeoutMs: 90_000 });
    expect(run.code).toBe(0);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.requestsCompleted).toBeGreaterThan(3);
    expect(cell.streams!.deliveredFps.p50).toBeGreaterThan(18);
    expect(cell.streams!.deliveredFps.p50).toBeLessThan(22);
    expect(cell.counts.errors).toBe(0);
  }, 150_000);

  it('base64 JSON frames and meta-then-binary (Python websockets): json and meta rules with seq, timestamp and request id', async () => {
    const server = await startPythonServer('--jpeg', jpeg, '--heartbeat-ms', '200');
    servers.push(server);
    const request = JSON.stringify({ action: 'generate', request_id: 'p1', num_frames: 8, fps: 10, prompt: 'a lighthouse' });
    const dir = tempDir('fb-probe-py-');
    const b64 = await runCli(['probe', `${server.url}/b64`, '--request', request, '-o', join(dir, 'b64.yaml')]);
    expect(b64.code).toBe(0);
    expect(b64.stdout).toMatch(/base64 JPEG 640×360 in "data"/);
    expect(b64.stdout).toMatch(/heartbeat.*ignored/);
    const b = parse(readFileSync(join(dir, 'b64.yaml'), 'utf8')) as Record<string, any>;
    expect(b.protocol.frames.json).toEqual({ match: { type: 'frame' }, data: 'data', encoding: 'base64', seq: 'index', timestamp: { path: 'ts', unit: 'ms' }, requestId: 'request_id' });
    expect(b.protocol.done.match).toEqual({ type: 'complete' });
    expect(b.protocol.ignore).toEqual([{ type: 'heartbeat' }]);
    expect(b.protocol.correlation).toBe('requestId');
    expect(b.resolution).toBe('360p');
    const meta = await runCli(['probe', `${server.url}/meta`, '--request', request, '-o', join(dir, 'meta.yaml')]);
    expect(meta.code).toBe(0);
    const m = parse(readFileSync(join(dir, 'meta.yaml'), 'utf8')) as Record<string, any>;
    expect(m.protocol.frames.meta).toEqual({ match: { type: 'frame_meta' }, seq: 'seq', timestamp: { path: 'ts', unit: 'ms' }, requestId: 'request_id' });
    const out = tempDir('fb-probe-py-run-');
    const run = await runCli(['run', join(dir, 'meta.yaml'), '--set', 'duration=3s', '--set', 'warmup=500ms', '--set', 'clients=2', '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0'], { timeoutMs: 90_000 });
    expect(run.code).toBe(0);
    const cell = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(cell.latencyMs.frame.count).toBeGreaterThan(0);
    expect(cell.counts.framesLost).toBe(0);
  }, 150_000);

  it('says plainly when the request is not what the server expects, and recognises the reference protocol', async () => {
    const server = await startWsServer();
    servers.push(server);
    const wrong = await runCli(['probe', `${server.url}/`, '--seconds', '2s']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/does not fit:[\s\S]*the server answered with an error: .*invalid_request/);
    expect(wrong.stdout).toMatch(/no frames seen/);
    const file = join(tempDir('fb-probe-wrong-'), 'wrong.yaml');
    writeFileSync(
      file,
      `protocol:\n  request: { template: { type: generate, request_id: "\${requestId}", count: "\${frames}" }, requestId: string }\n  frames: { binary: frame }\n  done: { match: { type: finished } }\nframesPerRequest: 5\n`,
    );
    const misfit = await runCli(['probe', `${server.url}/`, '--scenario', file, '--seconds', '3s']);
    expect(misfit.code).toBe(1);
    expect(misfit.stdout).toMatch(/does not fit: 1 unrecognized \(unrecognized_message\)/);
    embedded = await spawnEmbeddedServer({ host: '127.0.0.1', port: 0, cacheDir: TEST_CACHE_DIR, corpusFrames: 10 });
    const ref = await runCli(['probe', embedded.url]);
    expect(ref.code).toBe(0);
    expect(ref.stdout).toMatch(/framebench header \+ WEBP 854×480/);
    expect(ref.stdout).toMatch(/speaks the reference protocol/);
  }, 150_000);
});
