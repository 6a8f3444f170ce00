// The production topology on loopback with real redis-server and nginx: frames through nginx with
// exact accounting, a gateway killed mid-stream (resume on the other one from Redis state, nothing
// lost inside the replay window), a Redis restart survived, nothing left running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, writeState, type TopologyState } from '../../src/topology/state.js';
import { respawn, stopPid } from '../../src/topology/parts.js';
import { topologyDown, topologyStatus, topologyUp } from '../../src/topology/topology.js';
import { runCli, scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';
import { openStream, waitFor } from './stream-client.js';

let topo: TopologyState;
let dir: string;
const pids: number[] = [];

const gen = (requestId: number, frames: number, session: string) => ({ type: 'generate', requestId, session, format: 'webp', resolution: '480p', quality: 75, fps: 25, frames });

async function gatewayWithConnection(): Promise<TopologyState['parts'][number]> {
  for (const p of topo.parts.filter((x) => x.kind === 'gateway')) {
    const h = (await (await fetch(p.health)).json()) as { connections: number };
    if (h.connections > 0) return p;
  }
  throw new Error('no gateway holds the connection');
}

beforeAll(async () => {
  dir = tempDir('fb-topology-');
  topo = await topologyUp({
    dir,
    gateways: 2,
    generators: 2,
    cacheDir: TEST_CACHE_DIR,
    generatorArgs: ['--first-frame', '100ms ± 20ms', '--replay-frames', '150'],
    gatewayArgs: ['--generator-timeout', '2000'],
  });
  pids.push(...topo.parts.map((p) => p.pid));
}, 60_000);

afterAll(async () => {
  await topologyDown(dir);
  for (const p of topo?.parts ?? []) pids.push(p.pid);
  const left = pids.filter((pid) => isAlive(pid));
  for (const pid of left) await stopPid(pid, 'SIGKILL');
  expect(left).toEqual([]);
}, 30_000);

describe('topology', () => {
  it('is healthy end to end, WebSocket through nginx included', async () => {
    const s = await topologyStatus(dir);
    expect(s?.websocket).toBe(true);
    expect(s?.parts.every((p) => p.alive && p.healthy)).toBe(true);
    expect(s?.parts.map((p) => p.kind).sort()).toEqual(['gateway', 'gateway', 'generator', 'generator', 'nginx', 'redis']);
  });

  it('streams through nginx → gateways → Redis → generators with exact accounting', async () => {
    const out = tempDir('fb-topology-run-');
    const sc = scenario({ name: 'topo', clients: 6, rampUp: '0s', warmup: '0s', duration: '4s', drainTimeout: '6s', fps: 25, framesPerRequest: 25, resolution: '480p', format: 'webp', bufferDepth: 3 });
    const file = join(out, 'scenario.json');
    (await import('node:fs')).writeFileSync(file, JSON.stringify(sc.scenario));
    const r = await runCli(['run', file, '--target', topo.url, '-o', out, '-q', '-w', '0', '--cache-dir', TEST_CACHE_DIR], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cells: Array<{ counts: Record<string, number>; latencyMs: Record<string, { count: number; p99: number }> }> };
    const c = results.cells[0]!.counts;
    expect(c.framesReceived).toBeGreaterThan(0);
    expect(c.framesExpected).toBe(c.framesReceived! + c.framesLost!);
    expect(c.framesLost).toBe(0);
    // Per-hop latency: every frame carries the gateway's stamp; every request its queue wait.
    const l = results.cells[0]!.latencyMs;
    expect(l.generatorToGateway?.count).toBe(l.frame!.count);
    expect(l.gatewayToClient?.count).toBe(l.frame!.count);
    expect(l.queueWait?.count).toBeGreaterThan(0);
    expect(l.gatewayToClient!.p99).toBeLessThanOrEqual(l.frame!.p99 + 1);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('#### Per-hop latency');
  }, 90_000);

  it('resumes on the other gateway when the one holding the stream is killed, losing nothing inside the replay window', async () => {
    const session = 'kill-gw';
    const a = await openStream(`${topo.url}?client=${session}`, gen(1, 100, session));
    await waitFor(() => a.seqs.size >= 20, 20_000, '20 frames');
    const victim = await gatewayWithConnection();
    await stopPid(victim.pid, 'SIGKILL');
    await a.done;
    const b = await openStream(`${topo.url}?client=${session}`, { type: 'resume', session, requestId: 1, lastSeq: a.lastSeq }, a.seqs);
    const end = await b.done;
    b.ws.close();
    expect(end.type).toBe('done');
    expect(b.messages.find((m) => m.type === 'resumed')).toBeTruthy();
    const other = await gatewayWithConnection().catch(() => undefined);
    expect(other?.name ?? 'closed').not.toBe(victim.name);
    expect(a.seqs.size).toBe(100);
    // Back to two gateways for the next tests.
    const again = respawn(victim);
    topo.parts[topo.parts.indexOf(victim)] = again;
    writeState(topo);
    pids.push(again.pid);
    await waitFor(async () => (await fetch(again.health).catch(() => undefined))?.ok === true, 20_000, 'gateway restart');
  }, 60_000);

  it('survives a Redis restart: the stream ends with the downtime counted lost, new requests work after', async () => {
    const session = 'redis-restart';
    const a = await openStream(`${topo.url}?client=${session}`, gen(3, 100, session));
    await waitFor(() => a.seqs.size >= 15, 20_000, '15 frames');
    const redis = topo.parts.find((p) => p.kind === 'redis')!;
    await stopPid(redis.pid, 'SIGKILL');
    await new Promise((res) => setTimeout(res, 500));
    const again = respawn(redis);
    topo.parts[topo.parts.indexOf(redis)] = again;
    writeState(topo);
    pids.push(again.pid);
    const end = await a.done;
    a.ws.close();
    expect(end.type).toBe('done');
    const lost = 100 - a.seqs.size;
    expect(lost).toBeGreaterThan(0);
    expect(a.seqs.size + lost).toBe(100);
    expect([...a.seqs].some((s) => s > 60)).toBe(true);
    const b = await openStream(`${topo.url}?client=${session}-2`, gen(4, 20, `${session}-2`));
    const end2 = await b.done;
    b.ws.close();
    expect(end2.type).toBe('done');
    expect(b.seqs.size).toBe(20);
  }, 60_000);
});
