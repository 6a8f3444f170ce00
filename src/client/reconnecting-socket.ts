// The connection half of a virtual client: opens the WebSocket (source address, subprotocols),
// counts connect failures, and after a lost connection reconnects with exponential backoff and full
// jitter until the policy gives up. What to send and how to read messages is the subclass's part.
// Thousands of clients stay alive for a whole run and every major GC marks them, so a client keeps
// no closures of its own: the socket's listeners are shared functions that find their client
// through the socket, and `closed` is made only when someone waits for it.
import WebSocket from 'ws';
import { nowUs } from '../protocol/clock.js';
import { releaseMessageBuffers, trackMessageBuffers } from '../protocol/ws-message-release.js';
import { backoffDelayMs } from './backoff.js';
import type { ClientContext } from './client-context.js';

export type ClientPhase = 'new' | 'connecting' | 'open' | 'waiting' | 'closed';

/** A connect deadline that fires this much late was held up by a stall of this event loop. */
const STALL_SLACK_MS = 50;
/** How often a connect deadline is pushed back for stalls before the connect fails regardless. */
const MAX_CONNECT_EXTENSIONS = 3;

/** Destroys a socket without a close frame, like a crashed tab, a camera losing power or a dropped link. */
export function destroyWithoutClose(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: { destroy(): void } })._socket;
  if (socket) socket.destroy();
  else ws.terminate();
}

const OWNER = Symbol('framebench.client');
/** How ws fails an upgrade the target answered with another HTTP status (no listener per socket for it). */
const REFUSED = /^Unexpected server response: (\d+)$/;
type OwnedSocket = WebSocket & { [OWNER]: ReconnectingSocket };
const ownerOf = (ws: WebSocket): ReconnectingSocket => (ws as OwnedSocket)[OWNER];

// The socket's listeners, one of each for every client (EventEmitter calls them with the socket as `this`).
function onSocketOpen(this: WebSocket): void {
  ownerOf(this).socketOpened(this);
}
function onSocketMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  releaseMessageBuffers(this);
  ownerOf(this).onMessage(data, isBinary);
}
function onSocketPong(this: WebSocket): void {
  ownerOf(this).lastHeardUs = nowUs();
}
function onSocketError(this: WebSocket, err: NodeJS.ErrnoException): void {
  ownerOf(this).socketError(err);
}
function onSocketClose(this: WebSocket, code: number): void {
  ownerOf(this).socketClosed(this, code);
}
function onConnectDeadline(client: ReconnectingSocket): void {
  client.connectDeadline();
}

export abstract class ReconnectingSocket {
  phase: ClientPhase = 'new';
  /** Client time (µs) of the last message or pong: the heartbeat's view of liveness. */
  lastHeardUs = 0;
  protected ws: WebSocket | undefined;
  protected stopping = false;
  /** When the current connection attempt started (`connection: per-request` counts first-frame time from here). */
  protected connectStartedUs = 0;
  /** The socket is being closed on purpose to open a new one for the next request (`connection: per-request`). */
  protected recycling = false;
  private attempt = 0;
  private lostAtUs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private connectDueMs = 0;
  private connectExtensions = 0;
  private connectTimedOut = false;
  private closedPromise: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;

  /** Settles once the client is done for good (closed after stop, or gave up reconnecting). */
  get closed(): Promise<void> {
    if (this.closedPromise) return this.closedPromise;
    if (this.phase === 'closed') return (this.closedPromise = Promise.resolve());
    return (this.closedPromise = new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    }));
  }

  constructor(
    readonly index: number,
    protected readonly ctx: ClientContext,
  ) {}

  /** Every message of the socket. */
  abstract onMessage(data: Buffer, isBinary: boolean): void;
  /** The connection is open (again): send what the protocol starts with. */
  protected abstract opened(): void;
  /** True while a request is in flight (a close then counts as an error even when stopping). */
  protected abstract busy(): boolean;
  /** The connection is gone; `giveUp` when no reconnect follows. */
  protected abstract lost(giveUp: boolean): void;

  start(): void {
    this.phase = 'connecting';
    this.connectStartedUs = nowUs();
    const addrs = this.ctx.localAddresses;
    // the handshake deadline is kept here, not by ws: its socket timer fires after a stall of this
    // loop before the reply that came meanwhile is read, failing connects the target answered in time
    const timeoutMs = this.ctx.wsOptions.handshakeTimeout ?? 0;
    const options = { ...this.ctx.wsOptions, handshakeTimeout: undefined, ...(addrs?.length ? { localAddress: addrs[this.index % addrs.length] } : {}) };
    this.connectTimedOut = false;
    if (timeoutMs > 0) {
      this.connectExtensions = 0;
      this.connectDueMs = performance.now() + timeoutMs;
      this.connectTimer = setTimeout(onConnectDeadline, timeoutMs, this);
    }
    const protocols = this.ctx.adapter.upgrade.subprotocols;
    const ws = (protocols.length ? new WebSocket(this.ctx.url, protocols, options) : new WebSocket(this.ctx.url, options)) as OwnedSocket;
    ws[OWNER] = this;
    trackMessageBuffers(ws);
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', onSocketOpen);
    ws.on('message', onSocketMessage);
    ws.on('error', onSocketError);
    ws.on('close', onSocketClose);
  }

  /** @internal */
  socketError(err: NodeJS.ErrnoException): void {
    if (this.phase !== 'connecting') return this.ctx.collector.error(`socket_${err.code ?? 'error'}`);
    const refused = REFUSED.exec(err.message);
    this.ctx.collector.connectFailed(refused ? `connect_http_${refused[1]}` : `connect_${this.connectTimedOut ? 'timeout' : (err.code ?? 'error')}`);
  }

  /** Pings the server; its pong is listened for from the first ping on (most connections are never quiet). */
  protected ping(): void {
    const ws = this.ws;
    if (!ws) return;
    if (ws.listenerCount('pong') === 0) ws.on('pong', onSocketPong);
    ws.ping();
  }

  /**
   * The handshake took longer than allowed: the connect fails (connect_timeout). A deadline that
   * fired late (this loop stalled: the request may not even have been written, or the reply waits
   * unread) is pushed back by the stall, at most MAX_CONNECT_EXTENSIONS times.
   * @internal
   */
  connectDeadline(): void {
    this.connectTimer = undefined;
    const ws = this.ws;
    if (this.phase !== 'connecting' || !ws) return;
    const now = performance.now();
    const lateMs = now - this.connectDueMs;
    if (lateMs > STALL_SLACK_MS && this.connectExtensions < MAX_CONNECT_EXTENSIONS) {
      this.connectExtensions++;
      this.connectDueMs = now + lateMs;
      this.connectTimer = setTimeout(onConnectDeadline, lateMs, this);
      return;
    }
    this.connectTimedOut = true;
    ws.terminate();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  terminate(): void {
    this.stopping = true;
    if (this.ws) this.ws.terminate();
    else this.finish();
  }

  /** Chaos: destroys the socket without a close frame, like a crashed tab or a dropped link. */
  kill(): boolean {
    if (this.phase !== 'open' || !this.ws) return false;
    destroyWithoutClose(this.ws);
    return true;
  }

  protected send(text: string): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  /** Closes the socket cleanly (or finishes at once when there is none). */
  protected closeSocket(): void {
    const ws = this.ws;
    if (this.phase === 'waiting' || !ws) return this.finish();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }

  /** Closes the open socket cleanly and connects anew: not a lost connection, not a reconnect. */
  protected recycle(): void {
    const ws = this.ws;
    if (this.recycling || !ws || ws.readyState !== WebSocket.OPEN) return;
    this.recycling = true;
    ws.close(1000, 'next request');
  }

  protected finish(): void {
    this.clearConnectTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.phase = 'closed';
    this.resolveClosed?.();
  }

  /** @internal the socket opened (a socket this client has since replaced is ignored) */
  socketOpened(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.clearConnectTimer();
    const now = nowUs();
    this.phase = 'open';
    this.lastHeardUs = now;
    this.ctx.onConnection?.(1);
    const c = this.ctx.collector;
    if (this.attempt > 0 || this.lostAtUs > 0) c.reconnected(now - this.lostAtUs);
    else c.connected(now - this.connectStartedUs);
    this.attempt = 0;
    this.lostAtUs = 0;
    this.opened();
  }

  /** @internal the socket closed */
  socketClosed(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    if (this.recycling) {
      this.recycling = false;
      this.ctx.onConnection?.(-1);
      if (this.stopping) return this.finish();
      return this.start();
    }
    this.clearConnectTimer();
    const wasOpen = this.phase === 'open';
    if (wasOpen) {
      this.ctx.onConnection?.(-1);
      if (!this.stopping || this.busy()) this.ctx.collector.error(`closed_${code}`);
    }
    const policy = this.ctx.reconnect;
    const giveUp = this.stopping || !policy.enabled || (policy.maxAttempts > 0 && this.attempt >= policy.maxAttempts);
    this.lost(giveUp);
    if (giveUp) return this.finish();
    if (wasOpen) this.lostAtUs = nowUs();
    else if (this.lostAtUs === 0) this.lostAtUs = nowUs();
    this.phase = 'waiting';
    const delay = backoffDelayMs(this.attempt++, policy, this.ctx.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopping) this.start();
    }, delay);
  }
}
