// Helpers for the server-limit tests: an embedded server child process on port 0, its /metrics
// counters, and a raw socket client that completes the upgrade and then never reads.
import { connect as netConnect, type Socket } from 'node:net';
import { spawnEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from '../../src/server/launcher.js';

export async function childServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  return spawnEmbeddedServer({ host: '127.0.0.1', port: 0, ...opts });
}

/** framebench_server_* values from GET /metrics, by metric name. */
export async function metrics(server: EmbeddedServer): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(framebench_server_\w+) (\S+)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** Polls the metrics until `pred` holds. */
export async function metricsUntil(server: EmbeddedServer, pred: (m: Record<string, number>) => boolean, what: string, timeoutMs = 15_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await metrics(server);
    if (pred(m)) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; metrics: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Masked client text frame (RFC 6455) for raw sockets. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : len < 65536 ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]) : Buffer.alloc(10);
  if (len >= 65536) {
    head[0] = 0x81;
    head[1] = 0x80 | 127;
    head.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    head.writeUInt32BE(len >>> 0, 6);
  }
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

/** Completes a WebSocket upgrade on a raw socket, then stops reading (the socket is paused). */
export async function rawUpgrade(port: number): Promise<Socket> {
  const socket = netConnect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  socket.setNoDelay(true);
  return socket;
}
