// One virtual client's HTTP connection (undici Agent, keep-alive, one socket per origin) with
// every byte its sockets read and wrote counted, so bytes per frame include HTTP and SSE framing.
import type { Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { nowUs } from '../../protocol/clock.js';

export interface WireEvents {
  connected(connectUs: number): void;
  connectFailed(kind: string): void;
  /** +1 when a socket opens, -1 when it closes. */
  connection(delta: 1 | -1): void;
}

export class WireMeter {
  readonly agent: Agent;
  private readonly sockets = new Set<Socket>();
  private closedBytes = 0;

  constructor(events: WireEvents, localAddress?: string) {
    const base = buildConnector({});
    this.agent = new Agent({
      connections: 1,
      ...(localAddress ? { localAddress } : {}),
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
      connect: (opts, cb) => {
        const startedUs = nowUs();
        base(opts, (err, socket) => {
          if (err || !socket) {
            events.connectFailed(`connect_${(err as NodeJS.ErrnoException | null)?.code ?? 'error'}`);
            cb(err ?? new Error('no socket'), null);
            return;
          }
          events.connected(nowUs() - startedUs);
          events.connection(1);
          this.sockets.add(socket);
          socket.once('close', () => {
            this.sockets.delete(socket);
            this.closedBytes += socket.bytesRead + socket.bytesWritten;
            events.connection(-1);
          });
          cb(null, socket);
        });
      },
    });
  }

  /** Bytes read and written by every socket so far. */
  bytes(): number {
    let n = this.closedBytes;
    for (const s of this.sockets) n += s.bytesRead + s.bytesWritten;
    return n;
  }

  /** Chaos: destroys the open sockets; how many there were. */
  destroySockets(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  close(): void {
    void this.agent.destroy().catch(() => {});
  }
}

/** http(s)://host:port of a ws(s):// target URL. */
export function httpOrigin(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return u.origin;
}

/** The stream query of the HTTP transports (the fields of a generate message). */
export function streamQuery(p: { format: string; resolution: string; quality: number; fps: number }, frames: number, requestId: number, token?: string): string {
  const q = new URLSearchParams({ format: p.format, resolution: p.resolution, quality: String(p.quality), fps: String(p.fps), frames: String(frames), requestId: String(requestId) });
  if (token) q.set('token', token);
  return q.toString();
}
