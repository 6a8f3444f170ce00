// The client heartbeat against a target that is quiet but alive: it pings after the interval, the
// target's pong counts as heard, and the connection is kept (no heartbeat_timeout). A target that
// never answers pings is dropped.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ClientPool } from '../../src/client/pool.js';
import type { CellParams } from '../../src/scenario/schema.js';

const params: CellParams = {
  clients: 2,
  rampUp: 0,
  warmup: '100ms',
  duration: '1500ms',
  drainTimeout: '200ms',
  fps: 10,
  framesPerRequest: 'continuous',
  format: 'jpeg',
  resolution: '240p',
  quality: 75,
  bufferDepth: 3,
  transport: 'binary',
} as unknown as CellParams;

let wss: WebSocketServer | undefined;
afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = undefined;
});

async function quietServer(answerPings: boolean): Promise<{ url: string; pings: () => number }> {
  let pings = 0;
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: answerPings });
  wss.on('connection', (ws) => ws.on('ping', () => pings++));
  await new Promise<void>((r) => wss?.once('listening', () => r()));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, pings: () => pings };
}

describe('client heartbeat', () => {
  it('a quiet target that answers pings keeps its connections', async () => {
    const server = await quietServer(true);
    const snap = await new ClientPool({ url: server.url, params, offsetUs: 0, wsOptions: {}, heartbeat: { intervalMs: 200, timeoutMs: 600 } }).run();
    expect(server.pings()).toBeGreaterThanOrEqual(4);
    expect(snap.errorsByKind['heartbeat_timeout'] ?? 0).toBe(0);
    expect(snap.counts.connects).toBe(2);
  }, 20_000);

  it('a target that never answers pings is dropped as heartbeat_timeout', async () => {
    const server = await quietServer(false);
    const snap = await new ClientPool({ url: server.url, params, offsetUs: 0, wsOptions: {}, heartbeat: { intervalMs: 200, timeoutMs: 600 } }).run();
    expect(server.pings()).toBeGreaterThan(0);
    expect(snap.errorsByKind['heartbeat_timeout']).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
