// `bench topology up|down|status` as library calls: redis-server, N gateways, M generators and nginx
// from installed binaries on free loopback ports, all healthy before `up` returns; `down` leaves
// nothing running; `status` checks every part, and the WebSocket path through nginx.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { UsageError } from '../errors.js';
import { DEFAULT_QUEUE } from '../protocol/queue.js';
import { BENCH_BIN, freePort, partHealthy, REDIS_CONF, redisInline, spawnPart, stopPid, waitHealthy, writeNginxConf } from './parts.js';
import { isAlive, readState, statePath, writeState, type PartState, type TopologyState } from './state.js';

export interface TopologyOptions {
  dir: string;
  gateways?: number;
  generators?: number;
  /** Extra flags for every `bench serve --gateway`. */
  gatewayArgs?: string[];
  /** Extra flags for every `bench generate`. */
  generatorArgs?: string[];
  cacheDir?: string;
  redisBin?: string;
  nginxBin?: string;
  onLog?: (line: string) => void;
}

export const DEFAULT_TOPOLOGY_DIR = 'reports/topology';

async function startPart(state: TopologyState, part: PartState): Promise<PartState> {
  state.parts.push(part);
  writeState(state);
  await waitHealthy(part);
  return part;
}

export async function topologyUp(opts: TopologyOptions): Promise<TopologyState> {
  const dir = resolve(opts.dir);
  const nGw = opts.gateways ?? 2;
  const nGen = opts.generators ?? 4;
  if (!Number.isInteger(nGw) || nGw < 1 || nGw > 16) throw new UsageError(`--gateways must be 1..16 (got ${nGw})`);
  if (!Number.isInteger(nGen) || nGen < 1 || nGen > 64) throw new UsageError(`--generators must be 1..64 (got ${nGen})`);
  const existing = readState(dir);
  if (existing?.parts.some((p) => isAlive(p.pid))) {
    throw new UsageError(`a topology is already running from ${statePath(dir)} (${existing.url}); run \`bench topology down --dir ${opts.dir}\` first`);
  }
  mkdirSync(dir, { recursive: true });
  const log = opts.onLog ?? ((): void => {});
  const redisPort = await freePort();
  const nginxPort = await freePort();
  const state: TopologyState = {
    schema: 'framebench/topology@1',
    dir,
    startedAt: new Date().toISOString(),
    url: `ws://127.0.0.1:${nginxPort}/`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    adminToken: randomBytes(12).toString('hex'),
    parts: [],
  };
  const node = process.execPath;
  const cache = opts.cacheDir ? ['--cache-dir', opts.cacheDir] : [];
  try {
    const redisArgs = [REDIS_CONF, '--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    await startPart(state, spawnPart('redis', 'redis', opts.redisBin ?? 'redis-server', redisArgs, join(dir, 'redis.log'), redisPort, state.redisUrl));
    log(`redis on ${state.redisUrl}`);
    const gateways: string[] = [];
    for (let i = 1; i <= nGw; i++) {
      const port = await freePort();
      const args = [BENCH_BIN, 'serve', '--gateway', '--redis', state.redisUrl, '--port', String(port), '--gateway-id', `gw${i}`, ...cache, ...(opts.gatewayArgs ?? [])];
      await startPart(state, spawnPart(`gateway-${i}`, 'gateway', node, args, join(dir, `gateway-${i}.log`), port, `http://127.0.0.1:${port}/healthz`));
      gateways.push(`127.0.0.1:${port}`);
    }
    log(`gateways on ${gateways.join(', ')}`);
    for (let i = 1; i <= nGen; i++) {
      const port = await freePort();
      const args = [BENCH_BIN, 'generate', '--redis', state.redisUrl, '--http-port', String(port), '--worker-id', `gen${i}`, '--seed', String(i), '--admin-token', state.adminToken, ...cache, ...(opts.generatorArgs ?? [])];
      await startPart(state, spawnPart(`generator-${i}`, 'generator', node, args, join(dir, `generator-${i}.log`), port, `http://127.0.0.1:${port}/healthz`));
    }
    log(`${nGen} generators running`);
    const conf = writeNginxConf(dir, nginxPort, gateways);
    const nginxArgs = ['-p', dir, '-c', conf, '-e', join(dir, 'nginx-error.log'), '-g', 'daemon off;'];
    await startPart(state, spawnPart('nginx', 'nginx', opts.nginxBin ?? 'nginx', nginxArgs, join(dir, 'nginx.log'), nginxPort, `http://127.0.0.1:${nginxPort}/nginx-health`));
    if (!(await wsThrough(state.url))) throw new UsageError(`nginx on ${state.url} answers but a WebSocket upgrade through it to the gateways failed; see ${join(dir, 'nginx.log')}`);
    log(`nginx on ${state.url}`);
    return state;
  } catch (err) {
    await topologyDown(dir).catch(() => undefined);
    throw err;
  }
}

/** A WebSocket upgrade (and a clock exchange) through `url`: the health check nginx cannot do itself. */
export function wsThrough(url: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(ok);
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'clock', t0: Date.now() * 1000 })));
    ws.on('message', (d: Buffer) => finish(d.toString().includes('"clock"')));
    ws.on('error', () => finish(false));
  });
}

/** Stops every part (nginx first, Redis last) and removes the state file; returns what was stopped. */
export async function topologyDown(dirIn: string): Promise<string[]> {
  const dir = resolve(dirIn);
  const state = readState(dir);
  if (!state) return [];
  const order = ['nginx', 'generator', 'gateway', 'redis'];
  const parts = [...state.parts].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const stopped: string[] = [];
  for (const kind of order) {
    await Promise.all(
      parts
        .filter((p) => p.kind === kind && isAlive(p.pid))
        .map(async (p) => {
          await stopPid(p.pid, 'SIGTERM', 5000);
          stopped.push(p.name);
        }),
    );
  }
  const left = state.parts.filter((p) => isAlive(p.pid));
  if (left.length > 0) throw new UsageError(`could not stop ${left.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
  rmSync(statePath(dir), { force: true });
  return stopped;
}

export interface PartStatus {
  name: string;
  kind: string;
  pid: number;
  port: number;
  alive: boolean;
  healthy: boolean;
  log: string;
}

export async function topologyStatus(dirIn: string): Promise<{ state: TopologyState; parts: PartStatus[]; websocket: boolean; queueDepth: number | undefined } | undefined> {
  const state = readState(resolve(dirIn));
  if (!state) return undefined;
  const parts = await Promise.all(state.parts.map(async (p) => ({ name: p.name, kind: p.kind, pid: p.pid, port: p.port, alive: isAlive(p.pid), healthy: await partHealthy(p), log: p.log })));
  const websocket = parts.some((p) => p.kind === 'nginx' && p.healthy) && (await wsThrough(state.url));
  const redis = state.parts.find((p) => p.kind === 'redis');
  const llen = redis ? await redisInline(redis.port, `LLEN ${DEFAULT_QUEUE}`) : undefined;
  const queueDepth = llen?.startsWith(':') ? Number(llen.slice(1)) : undefined;
  return { state, parts, websocket, queueDepth };
}
