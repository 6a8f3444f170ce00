// A target that answers the upgrade with another HTTP status: each connect fails as
// connect_http_<status>, named from the status the target sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../src/client/pool.js';
import type { CellParams } from '../../src/scenario/schema.js';

const params = (clients: number): CellParams =>
  ({ clients, rampUp: 0, warmup: '100ms', duration: '500ms', drainTimeout: '300ms', fps: 10, framesPerRequest: 'continuous', format: 'jpeg', resolution: '240p', quality: 75, bufferDepth: 3, transport: 'binary' }) as unknown as CellParams;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe('an upgrade the target refuses', () => {
  it.each([401, 403, 503])(
    'HTTP %i: connect_http_<status> for every client, nothing measured',
    async (status) => {
      let upgrades = 0;
      server = createServer((_req, res) => res.writeHead(404).end());
      server.on('upgrade', (_req, socket) => {
        upgrades++;
        socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      });
      await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      const snap = await new ClientPool({ url: `ws://127.0.0.1:${port}/`, params: params(3), offsetUs: 0, wsOptions: {} }).run();
      expect(upgrades).toBe(3);
      expect(snap.errorsByKind).toEqual({ [`connect_http_${status}`]: 3 });
      expect(snap.counts.connects).toBe(0);
      expect(snap.window.frames).toBe(0);
    },
    20_000,
  );
});
