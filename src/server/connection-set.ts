// The open WebSocket connections of a server, and how the server closes: stop accepting, ask every
// connection to end (graceful: let streams finish), wait a bounded time for them to go, then
// terminate what is left and close the HTTP listener; between, a ping heartbeat ends silent peers. Shared by the reference server and the gateway.
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

/** How long a graceful close waits for connections to end on their own. */
export const GRACEFUL_CLOSE_MS = 3000;

export interface ClosableConnection {
  shutdown(graceful: boolean): void;
  readonly ws: { terminate(): void; ping(): void };
  /** Answered the last ping (set again by the connection on pong). */
  alive: boolean;
}

export class ConnectionSet<T extends ClosableConnection> extends Set<T> {
  private onEmpty: (() => void) | undefined;

  override delete(conn: T): boolean {
    const had = super.delete(conn);
    if (this.size === 0) this.onEmpty?.();
    return had;
  }

  /** Every interval: terminates each connection that did not answer the last ping, pings the rest. */
  startHeartbeat(intervalMs: number): NodeJS.Timeout {
    const timer = setInterval(() => {
      for (const conn of this) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }, intervalMs);
    timer.unref();
    return timer;
  }

  /** Closes the listener and every connection; `stopping` runs once the listener stops accepting. */
  async closeServer(http: Server, wss: WebSocketServer, graceful: boolean, stopping?: () => void): Promise<void> {
    const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
    stopping?.();
    const drained = new Promise<void>((resolve) => {
      this.onEmpty = resolve;
      if (this.size === 0) resolve();
    });
    for (const conn of this) conn.shutdown(graceful);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, GRACEFUL_CLOSE_MS)))]);
    clearTimeout(timer);
    for (const conn of this) conn.ws.terminate();
    http.closeAllConnections();
    await httpClosed;
    wss.close();
  }
}
