// The embedded reference server: HTTP + WebSocket listener wiring connections, the shared frame
// scheduler, resumable session streams, heartbeats, token auth at the upgrade, the admin channel,
// /metrics, and graceful shutdown. One process; cluster-primary.ts runs several of these on one port.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { TargetError } from '../errors.js';
import { FrameCorpus, type CorpusKey } from '../frames/corpus.js';
import { Connection } from './connection.js';
import type { ServerContext } from './server-context.js';
import { FrameSource, type CorpusSource } from './frame-source.js';
import { dropCount, pickRandom, type DropAmount, type DropResult } from './admin-http.js';
import { HTTP_STREAM_DEFAULTS, HttpStreams } from './http-streams/index.js';
import { ConnectionSet } from './connection-set.js';
import { handleHttpRequest, isAuthorized, rejectUpgrade, type HttpRoutes } from './http.js';
import { ServerMetrics } from './metrics.js';
import { resolveServerOptions, type ServerOptions, type ServerStats } from './options.js';
import { requestLimits } from './request-limits.js';
import { ResumeRegistry } from './resume-registry.js';
import { FrameScheduler } from './scheduler.js';
import { StatsCounters } from './stats.js';
import { seededRandom } from './timing.js';

export type { ServerOptions, ServerStats } from './options.js';

export interface RunningServer {
  /** ws://HOST:PORT/ */
  url: string;
  host: string;
  port: number;
  stats(): ServerStats;
  /** Destroys a random pick of this process' connections (what POST /admin/drop does in one process). */
  drop(amount: DropAmount): DropResult;
  /** Encodes/loads these corpus entries now so the first request for them streams at once. */
  prewarm(keys: CorpusKey[]): Promise<void>;
  /** graceful (default): stop accepting, close every stream with 1001 and wait; otherwise terminate. */
  close(opts?: { graceful?: boolean }): Promise<void>;
}

export interface ServerDeps {
  /** Frame corpus to stream from; a FrameCorpus on opts.cacheDir by default. */
  corpus?: CorpusSource;
  /** Write frames straight to the socket without copying them (default true); false uses ws.send. */
  rawWrites?: boolean;
  /** Set in a cluster worker: /admin/* and the framebench_server_* metrics answer for the whole cluster. */
  cluster?: ClusterHooks;
}

/** Cluster-wide answers, asked from the primary over IPC. */
export interface ClusterHooks {
  stats(): Promise<ServerStats>;
  drop(amount: DropAmount): Promise<DropResult>;
}

function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const inUse = `cannot start the reference server: port ${port} on ${host} is already in use`;
      if (err.code === 'EADDRINUSE') reject(Object.assign(new TargetError(inUse), { code: err.code }));
      else if (err.code === 'EACCES') reject(new TargetError(`cannot start the reference server: no permission to listen on ${host}:${port}`));
      else reject(new TargetError(`cannot start the reference server on ${host}:${port}: ${err.message}`));
    };
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
}

export async function startReferenceServer(opts: ServerOptions = {}, deps: ServerDeps = {}): Promise<RunningServer> {
  const o = resolveServerOptions(opts);
  const log = o.onLog ?? ((): void => {});
  const corpus =
    deps.corpus ??
    new FrameCorpus({
      cacheDir: o.cacheDir,
      inWorker: true,
      diskLimits: { maxBytes: o.maxDiskCacheBytes, maxEntries: o.maxDiskCacheEntries },
      onProgress: (msg, done, total) => {
        if (done === total) log(msg);
      },
    });
  const stats = new StatsCounters();
  const scheduler = new FrameScheduler();
  const resume = new ResumeRegistry({ graceMs: o.resumeGraceMs, replayFrames: o.replayFrames, maxDetached: o.maxDetachedStreams, delayUs: o.delayMs * 1000 }, stats);
  const ctx: ServerContext = {
    stats,
    scheduler,
    frames: new FrameSource(corpus, o.corpusFrames, { maxEntries: o.maxCorpusEntries, maxBytes: o.maxCorpusBytes, encodeConcurrency: o.encodeConcurrency, maxQueuedEncodes: o.maxQueuedEncodes }, stats),
    timing: { delayUs: o.delayMs * 1000, jitterUs: o.jitterMs * 1000, random: seededRandom(o.seed) },
    resume,
    maxBufferBytes: o.maxBufferBytes,
    limits: requestLimits(o.maxPixels, o.resolutions, o.qualities),
    maxMessagesPerSec: o.maxMessagesPerSec,
    idleTimeoutMs: o.idleTimeoutMs,
    slowClientMs: o.slowClientMs,
    rawWrites: deps.rawWrites ?? true,
    log,
  };
  const connections = new ConnectionSet<Connection>();
  const startedMs = Date.now();
  let closing: Promise<void> | undefined;

  const snapshot = (): ServerStats => stats.snapshot();
  const drop = (amount: DropAmount): DropResult => {
    const open = [...connections];
    const hit = pickRandom(open, dropCount(open.length, amount), amount.seed === undefined ? Math.random : seededRandom(amount.seed));
    for (const conn of hit) conn.ws.terminate();
    stats.adminDrops += hit.length;
    if (hit.length > 0) log(`admin: dropped ${hit.length} of ${open.length} connections`);
    return { dropped: hit.length, connections: open.length };
  };
  const httpStreams = new HttpStreams(ctx, { token: o.token, ...HTTP_STREAM_DEFAULTS });
  const cluster = deps.cluster;
  const routes: HttpRoutes = {
    localStats: snapshot,
    stats: cluster ? () => cluster.stats() : snapshot,
    drop: cluster ? (amount) => cluster.drop(amount) : drop,
    startedMs,
    metrics: cluster ? new ServerMetrics(() => cluster.stats(), { pid: String(process.pid) }) : new ServerMetrics(snapshot),
    token: o.token,
    adminToken: o.adminToken,
    streams: (req, res, path) => httpStreams.handle(req, res, path),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => handleHttpRequest(req, res, routes);
  const tls = o.tlsCertFile && o.tlsKeyFile ? { cert: readFileSync(o.tlsCertFile), key: readFileSync(o.tlsKeyFile) } : undefined;
  const http: Server = tls ? createHttpsServer(tls, onRequest) : createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes, perMessageDeflate: false, clientTracking: false });

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (closing) return rejectUpgrade(socket, 503);
    if (o.token !== undefined && !isAuthorized(req, o.token)) return rejectUpgrade(socket, 401, { 'www-authenticate': 'Bearer' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, ctx, (c) => connections.delete(c));
      connections.add(conn);
      if (closing) conn.shutdown(true);
    });
  });

  const heartbeat = connections.startHeartbeat(o.heartbeatMs);
  const slowCheck = setInterval(
    () => {
      const now = Date.now();
      for (const conn of connections) conn.checkSlow(now);
    },
    Math.max(5, Math.min(1000, Math.floor(o.slowClientMs / 4))),
  );
  slowCheck.unref();

  try {
    await listen(http, o.port, o.host);
  } catch (err) {
    clearInterval(heartbeat);
    clearInterval(slowCheck);
    scheduler.stop();
    resume.close();
    httpStreams.close();
    throw err;
  }
  http.on('error', (err) => log(`server error: ${err.message}`));
  const port = (http.address() as AddressInfo).port;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host;

  async function shutdown(graceful: boolean): Promise<void> {
    clearInterval(heartbeat);
    clearInterval(slowCheck);
    await connections.closeServer(http, wss, graceful, () => {
      scheduler.stop();
      resume.close();
      httpStreams.close();
    });
  }

  return {
    url: `${tls ? 'wss' : 'ws'}://${urlHost}:${port}/`,
    host: o.host,
    port,
    stats: () => stats.snapshot(),
    drop,
    prewarm: async (keys) => {
      await Promise.all(keys.map((k) => ctx.frames.get(k)));
    },
    close: ({ graceful = true } = {}) => (closing ??= shutdown(graceful)),
  };
}
