// Gateway mode of the reference server (`bench serve --gateway`): WebSocket clients on one side,
// the Redis work queue and frame channels on the other. HTTP: /healthz (also checks Redis), /metrics
// (the server metrics plus the gateway's counters and hop histograms). Heartbeats, a watchdog for
// silent generators, graceful shutdown that leaves session streams resumable on another gateway.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { TargetError } from '../../errors.js';
import { connectRedis, redisConnection } from '../../redis/connect.js';
import { ConnectionSet } from '../connection-set.js';
import { isAuthorized, rejectUpgrade } from '../http.js';
import { sendBody, sendJson } from '../http-respond.js';
import { ServerMetrics } from '../metrics.js';
import { StatsCounters } from '../stats.js';
import { toolVersion } from '../../version.js';
import { GatewayConnection } from './gateway-connection.js';
import { GatewayHub } from './hub.js';
import { resolveGatewayOptions, type GatewayCounters, type GatewayOptions } from './options.js';
import type { ServerStats } from '../options.js';

export interface RunningGateway {
  url: string;
  port: number;
  gatewayId: string;
  stats(): ServerStats & { gateway: GatewayCounters };
  close(opts?: { graceful?: boolean }): Promise<void>;
}

const WATCHDOG_MS = 250;

function gatewayCounterText(c: GatewayCounters): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(c)) {
    const name = `framebench_gateway_${key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)}_total`;
    lines.push(`# TYPE ${name} counter`, `${name} ${value as number}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const o = resolveGatewayOptions(opts);
  const log = o.onLog ?? ((): void => {});
  const cmd = redisConnection(o.redisUrl, `${o.gatewayId}-cmd`, log);
  const sub = redisConnection(o.redisUrl, `${o.gatewayId}-sub`, log);
  await connectRedis(cmd, o.redisUrl);
  await connectRedis(sub, o.redisUrl).catch((err: unknown) => {
    cmd.disconnect();
    throw err;
  });
  const stats = new StatsCounters();
  const hub = new GatewayHub(o, cmd, sub, stats);
  const metrics = new ServerMetrics(() => stats.snapshot());
  const connections = new ConnectionSet<GatewayConnection>();
  const startedMs = Date.now();
  let counter = 0;
  const nextStreamId = (): string => `${o.gatewayId}-${startedMs.toString(36)}-${++counter}`;
  let closing: Promise<void> | undefined;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const redisOk = cmd.status === 'ready' && sub.status === 'ready';
      const s = stats.snapshot();
      sendJson(res, redisOk && !closing ? 200 : 503, {
        ok: redisOk && !closing,
        gateway: o.gatewayId,
        redis: redisOk,
        version: toolVersion(),
        pid: process.pid,
        uptimeMs: Date.now() - startedMs,
        connections: s.connections,
        activeRequests: s.activeRequests,
      });
      return;
    }
    if (path === '/metrics') {
      Promise.all([metrics.render(), hub.registry.metrics()]).then(
        ([server, own]) => sendBody(res, 200, metrics.contentType, `${server}\n${own}\n${gatewayCounterText(hub.counters)}`),
        (err: unknown) => sendBody(res, 500, 'text/plain', String(err)),
      );
      return;
    }
    sendBody(res, 426, 'text/plain', 'framebench gateway: connect with a WebSocket; GET /healthz, /metrics\n', { upgrade: 'websocket' });
  };
  const http = createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (closing) return rejectUpgrade(socket, 503);
    if (o.token !== undefined && !isAuthorized(req, o.token)) return rejectUpgrade(socket, 401, { 'www-authenticate': 'Bearer' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new GatewayConnection(ws, hub, nextStreamId, (c) => connections.delete(c));
      connections.add(conn);
    });
  });

  const heartbeat = connections.startHeartbeat(o.heartbeatMs);
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const conn of connections) {
      for (const s of conn.streams.values()) {
        if (s.paused) s.backpressure();
        void s.check(now);
      }
    }
  }, WATCHDOG_MS);
  watchdog.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', (err: NodeJS.ErrnoException) =>
        reject(new TargetError(err.code === 'EADDRINUSE' ? `cannot start the gateway: port ${o.port} on ${o.host} is already in use` : `cannot start the gateway on ${o.host}:${o.port}: ${err.message}`)),
      );
      http.listen(o.port, o.host, () => resolve());
    });
  } catch (err) {
    clearInterval(heartbeat);
    clearInterval(watchdog);
    cmd.disconnect();
    sub.disconnect();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;

  async function shutdown(graceful: boolean): Promise<void> {
    clearInterval(heartbeat);
    clearInterval(watchdog);
    await connections.closeServer(http, wss, graceful);
    // Let the last state writes (last seq delivered) reach Redis before the connections go.
    await cmd.ping().catch(() => undefined);
    cmd.disconnect();
    sub.disconnect();
  }

  return {
    url: `ws://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/`,
    port,
    gatewayId: o.gatewayId,
    stats: () => ({ ...stats.snapshot(), gateway: { ...hub.counters } }),
    close: ({ graceful = true } = {}) => (closing ??= shutdown(graceful)),
  };
}
