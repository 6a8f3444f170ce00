// The handshake deadline: a target that accepts TCP and never answers the upgrade fails the connect
// as connect_timeout; a stall of the harness's own loop past the deadline (the upgrade request or the
// target's reply held up by it) fails nothing.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ClientPool } from '../../src/client/pool.js';
import type { CellParams } from '../../src/scenario/schema.js';

const params = (clients: number): CellParams =>
  ({ clients, rampUp: 0, warmup: '200ms', duration: '800ms', drainTimeout: '300ms', fps: 10, framesPerRequest: 'continuous', format: 'jpeg', resolution: '240p', quality: 75, bufferDepth: 3, transport: 'binary' }) as unknown as CellParams;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('connect deadline', () => {
  it('a target that never answers the upgrade: connect_timeout', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const pool = new ClientPool({ url: `ws://127.0.0.1:${port}/`, params: params(2), offsetUs: 0, wsOptions: { handshakeTimeout: 300 } });
    const snap = await pool.run();
    expect(snap.errorsByKind['connect_timeout']).toBeGreaterThanOrEqual(2);
    expect(snap.counts.connects).toBe(0);
  }, 20_000);

  it('a stall of this loop past the deadline, the request or reply held up by it: no connect fails', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    closers.push(
      () =>
        new Promise((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    );
    const port = (wss.address() as AddressInfo).port;
    const pool = new ClientPool({ url: `ws://127.0.0.1:${port}/`, params: params(3), offsetUs: 0, wsOptions: { handshakeTimeout: 200 } });
    pool.once('phase', () => {
      // in the check phase, right after the connects started: timers run next, before the poll phase
      setImmediate(() => {
        const until = performance.now() + 600;
        while (performance.now() < until);
      });
    });
    const snap = await pool.run();
    expect(snap.errorsByKind).toEqual({});
    expect(snap.counts.connectFailures).toBe(0);
    expect(snap.counts.connects).toBe(3);
  }, 20_000);
});
