// The TCP fault proxy between clients and a target: latency and jitter, bandwidth limits, black holes, resets and drops.
// Bandwidth is limited per connection and per direction (each virtual client on its own access link).
// A black hole holds data rather than discarding it: at the TCP level a lost packet is retransmitted, so the
// application sees a stall, never a gap; dropping bytes mid-stream would corrupt framing instead of stalling it.
import { createServer, connect, isIPv4, isIPv6, type AddressInfo, type Server, type Socket } from 'node:net';
import { UsageError } from '../errors.js';
import { DelayPipe, type PipeFaults } from './pipe.js';
import { pickFraction, type Rng } from './schedule.js';

export type ProxyFaults = PipeFaults;

export interface FaultProxyOptions {
  listenHost?: string;
  listenPort?: number;
  targetHost: string;
  targetPort: number;
  /** Allow a target outside 127.0.0.0/8, ::1 and localhost. */
  allowRemote?: boolean;
  /** Random source for jitter (default Math.random). */
  rng?: Rng;
}

export interface FaultProxyStats {
  accepted: number;
  open: number;
  bytesUp: number;
  bytesDown: number;
  heldBytes: number;
  resets: number;
  drops: number;
  errors: number;
}

export interface FaultProxy {
  readonly port: number;
  url(path?: string): string;
  /** Replaces the current faults; `set({})` clears them. Applies to open and new connections at once. */
  set(faults: ProxyFaults): void;
  faults(): ProxyFaults;
  /** Resets every open connection (RST to both sides); returns how many. */
  resetAll(): number;
  /** Closes a seeded choice of open connections abruptly (FIN to both sides, no WebSocket close frame); returns how many. */
  dropFraction(fraction: number, rng: Rng): number;
  connections(): number;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 (any spelling, also IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return /^(0{0,4}:){1,7}0{0,3}1$/.test(h);
}

class ProxyConnection {
  readonly up: DelayPipe;
  readonly down: DelayPipe;

  constructor(
    readonly client: Socket,
    readonly target: Socket,
    faults: () => ProxyFaults,
    rng: Rng,
    onError: () => void,
  ) {
    this.up = new DelayPipe(client, target, faults, rng);
    this.down = new DelayPipe(target, client, faults, rng);
    for (const [self, other, inbound, outbound] of [
      [client, target, this.up, this.down],
      [target, client, this.down, this.up],
    ] as const) {
      self.on('error', () => {
        onError();
        if (!other.destroyed) other.resetAndDestroy();
      });
      self.on('close', (hadError) => {
        outbound.stop();
        if (hadError) inbound.stop();
        else inbound.closeWhenDrained();
      });
    }
  }

  update(): void {
    this.up.update();
    this.down.update();
  }

  reset(): void {
    for (const s of [this.client, this.target]) if (!s.destroyed) s.resetAndDestroy();
  }

  drop(): void {
    this.up.stop();
    this.down.stop();
    this.client.destroy();
    this.target.destroy();
  }
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { listenHost = '127.0.0.1', listenPort = 0, targetHost, targetPort, allowRemote = false, rng = Math.random } = options;
  if (!allowRemote && !isLoopbackHost(targetHost)) {
    const why = 'is not a loopback address (127.0.0.0/8, ::1, localhost); pass allowRemote: true to proxy a remote target';
    throw new UsageError(`fault proxy: target host "${targetHost}" ${why}`);
  }
  let current: ProxyFaults = {};
  const getFaults = () => current;
  const open = new Set<ProxyConnection>();
  const totals = { accepted: 0, bytesUp: 0, bytesDown: 0, resets: 0, drops: 0, errors: 0 };

  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    totals.accepted++;
    const target = connect({ host: targetHost, port: targetPort, allowHalfOpen: true, noDelay: true });
    const conn = new ProxyConnection(client, target, getFaults, rng, () => totals.errors++);
    open.add(conn);
    let closed = 0;
    const onClose = () => {
      if (++closed < 2) return;
      open.delete(conn);
      totals.bytesUp += conn.up.bytes;
      totals.bytesDown += conn.down.bytes;
    };
    client.once('close', onClose);
    target.once('close', onClose);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = listenHost.includes(':') ? `[${listenHost}]` : listenHost;

  return {
    port,
    url: (path = '/') => `ws://${urlHost}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    set(faults) {
      current = { ...faults };
      for (const conn of open) conn.update();
    },
    faults: () => ({ ...current }),
    resetAll() {
      const list = [...open];
      for (const conn of list) conn.reset();
      totals.resets += list.length;
      return list.length;
    },
    dropFraction(fraction, pickRng) {
      const list = [...open];
      const picks = pickFraction(list.length, { fraction }, pickRng);
      for (const i of picks) list[i]?.drop();
      totals.drops += picks.length;
      return picks.length;
    },
    connections: () => open.size,
    stats() {
      let bytesUp = totals.bytesUp;
      let bytesDown = totals.bytesDown;
      let heldBytes = 0;
      for (const conn of open) {
        bytesUp += conn.up.bytes;
        bytesDown += conn.down.bytes;
        heldBytes += conn.up.held + conn.down.held;
      }
      const { accepted, resets, drops, errors } = totals;
      return { accepted, open: open.size, bytesUp, bytesDown, heldBytes, resets, drops, errors };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const conn of open) conn.drop();
      });
    },
  };
}
