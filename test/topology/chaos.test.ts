// Topology fault kinds through the real run engine: clients on nginx while a gateway is killed
// (they reconnect to the other one and resume from Redis), a generator is killed mid-stream (its
// streams are retried), a generator is slowed, and Redis restarts. Every frame stays accounted for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, readState } from '../../src/topology/state.js';
import { stopPid } from '../../src/topology/parts.js';
import { topologyDown, topologyUp } from '../../src/topology/topology.js';
import { runCli, scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';
import { openStream, waitFor } from './stream-client.js';

let dir: string;
let url: string;
const seen = new Set<number>();

const pidsNow = (): number[] => (readState(dir)?.parts ?? []).map((p) => p.pid);

beforeAll(async () => {
  dir = tempDir('fb-topo-chaos-');
  const s = await topologyUp({ dir, gateways: 2, generators: 2, cacheDir: TEST_CACHE_DIR, generatorArgs: ['--first-frame', '100ms ± 20ms'], gatewayArgs: ['--generator-timeout', '1500', '--max-buffer', '400000'] });
  url = s.url;
  for (const p of pidsNow()) seen.add(p);
}, 60_000);

afterAll(async () => {
  for (const p of pidsNow()) seen.add(p);
  await topologyDown(dir);
  const left = [...seen].filter((pid) => isAlive(pid));
  for (const pid of left) await stopPid(pid, 'SIGKILL');
  expect(left).toEqual([]);
}, 30_000);

interface Cell {
  counts: Record<string, number>;
  events: Array<{ kind: string; detail: string }>;
}

async function run(chaos: unknown[], duration = '8s'): Promise<Cell> {
  const out = tempDir('fb-topo-chaos-run-');
  const sc = scenario({
    name: 'topo-chaos',
    clients: 6,
    rampUp: '0s',
    warmup: '0s',
    duration,
    drainTimeout: '8s',
    fps: 25,
    framesPerRequest: 50,
    resolution: '480p',
    format: 'webp',
    bufferDepth: 3,
    reconnect: { base: '100ms', cap: '500ms' },
    heartbeat: { interval: '500ms', timeout: '2s' },
    chaos: chaos.map((c) => ({ topology: dir, ...(c as object) })),
  });
  const file = join(out, 'scenario.json');
  writeFileSync(file, JSON.stringify(sc.scenario));
  const r = await runCli(['run', file, '--target', url, '-o', out, '-q', '-w', '0', '--cache-dir', TEST_CACHE_DIR], { timeoutMs: 90_000 });
  for (const p of pidsNow()) seen.add(p);
  expect([0, 1], r.stderr).toContain(r.code);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cells: Cell[] };
  return results.cells[0]!;
}

async function metricSum(kind: 'gateway' | 'generator', name: string): Promise<number> {
  let n = 0;
  for (const p of readState(dir)!.parts.filter((x) => x.kind === kind)) {
    const text = await (await fetch(p.health.replace('healthz', 'metrics'))).text();
    n += Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  }
  return n;
}

describe('topology chaos', () => {
  it('a client that stops reading pauses its generator (backpressure, counted) instead of growing a buffer', async () => {
    const before = await metricSum('generator', 'framebench_generator_backpressure_pauses_total');
    const session = 'slow-reader';
    const a = await openStream(`${url}?client=${session}`, { type: 'generate', requestId: 1, session, format: 'jpeg', resolution: '1080p', quality: 75, fps: 100, frames: 600 });
    await waitFor(() => a.seqs.size >= 5, 20_000, '5 frames');
    const socket = (a.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    await waitFor(async () => (await metricSum('generator', 'framebench_generator_backpressure_pauses_total')) > before, 20_000, 'a backpressure pause');
    socket.resume();
    const end = (await a.done) as { type: string; frames?: number; dropped?: number };
    a.ws.close();
    expect(end.type).toBe('done');
    expect(end.frames).toBe(600);
    // Frames over the gateway's cap are dropped and counted; the rest arrive.
    expect(a.seqs.size + (end.dropped ?? 0)).toBe(600);
    expect(await metricSum('gateway', 'framebench_gateway_pauses_total')).toBeGreaterThan(0);
  }, 60_000);

  it('kill-gateway: clients reconnect through nginx to the other gateway and resume from Redis', async () => {
    const c = await run([{ kind: 'kill-gateway', at: '2s', restart: '3s' }]);
    const ev = c.events.find((e) => e.kind === 'kill-gateway');
    expect(ev?.detail).toMatch(/killed, restarted/);
    expect(c.events.some((e) => e.kind === 'chaos-error')).toBe(false);
    expect(c.counts.framesExpected).toBe(c.counts.framesReceived! + c.counts.framesLost!);
    expect(c.counts.framesReceived).toBeGreaterThan(0);
    expect(c.counts.reconnects).toBeGreaterThan(0);
    expect(c.counts.resumes).toBeGreaterThan(0);
    // The replay window (150 frames) covers the reconnect: nothing is lost.
    expect(c.counts.framesLost).toBe(0);
  }, 120_000);

  it('kill-generator, slow-generator and restart-redis: counted, accounted, survived', async () => {
    const c = await run(
      [
        { kind: 'slow-generator', at: '1s', factor: 3, duration: '2s', index: 2 },
        { kind: 'kill-generator', at: '3s', restart: '1s' },
        { kind: 'restart-redis', at: '6s', downtime: '500ms' },
      ],
      '10s',
    );
    const kinds = c.events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['slow-generator', 'kill-generator', 'restart-redis']));
    expect(c.events.filter((e) => e.kind === 'chaos-error')).toEqual([]);
    expect(c.counts.framesExpected).toBe(c.counts.framesReceived! + c.counts.framesLost!);
    expect(c.counts.framesReceived).toBeGreaterThan(0);
    const gw = readState(dir)!.parts.filter((p) => p.kind === 'gateway');
    let retries = 0;
    for (const p of gw) {
      const text = await (await fetch(p.health.replace('healthz', 'metrics'))).text();
      retries += Number(/^framebench_gateway_generator_retries_total (\d+)/m.exec(text)?.[1] ?? 0);
    }
    expect(retries).toBeGreaterThan(0);
  }, 120_000);
});
