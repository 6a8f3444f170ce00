// Test helpers for the fault proxy: a ws server on 127.0.0.1 port 0 behind a proxy, clients through it, timing probes.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { startFaultProxy, type FaultProxy } from '../../src/chaos/proxy.js';

export interface Rig {
  wss: WebSocketServer;
  proxy: FaultProxy;
  close(): Promise<void>;
}

/** An echo server that answers `{"probe": t0}` with `{"probe": t0, "up": ms, "sentAt": t}` measured on the shared clock. */
export async function startRig(): Promise<Rig> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void ws.send(JSON.stringify({ got: (data as Buffer).length }));
      const text = data.toString();
      const msg = (text.startsWith('{') ? JSON.parse(text) : {}) as { probe?: number; bulk?: number };
      if (msg.probe !== undefined) {
        const now = performance.now();
        ws.send(JSON.stringify({ probe: msg.probe, up: now - msg.probe, sentAt: now }));
      } else if (msg.bulk !== undefined) {
        const piece = Buffer.alloc(64 * 1024, 7);
        for (let sent = 0; sent < msg.bulk; sent += piece.length) ws.send(piece.subarray(0, Math.min(piece.length, msg.bulk - sent)));
      } else ws.send(text);
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: port });
  return {
    wss,
    proxy,
    async close() {
      await proxy.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export async function connectClient(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

export interface ProbeSample {
  up: number;
  down: number;
  rtt: number;
}

/** One-way delays both ways and the round trip of one small message; client and server share one clock. */
export function probe(ws: WebSocket): Promise<ProbeSample> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const now = performance.now();
      const msg = JSON.parse(data.toString()) as { probe: number; up: number; sentAt: number };
      ws.off('message', onMessage);
      resolve({ up: msg.up, down: now - msg.sentAt, rtt: now - msg.probe });
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ probe: performance.now() }));
  });
}

export async function probes(ws: WebSocket, n: number): Promise<ProbeSample[]> {
  const out: ProbeSample[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await probe(ws));
    await sleep(5);
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function nextMessage(ws: WebSocket, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    const onMessage = (data: Buffer) => {
      clearTimeout(timer);
      resolve(data.toString());
    };
    ws.once('message', onMessage);
  });
}
