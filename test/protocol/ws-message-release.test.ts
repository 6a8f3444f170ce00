// The received message's carrier array is emptied when the message arrives, against a real ws
// server: if ws stops gathering a message in the array it made at the previous one, the first
// assertion says so (and the release no longer does anything).
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { releaseMessageBuffers, trackMessageBuffers } from '../../src/protocol/ws-message-release.js';

let wss: WebSocketServer | undefined;
afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = undefined;
});

type Internals = WebSocket & { _receiver: { _fragments: unknown[] } };

describe('releaseMessageBuffers', () => {
  it('empties the array that carried each message, so only the message itself holds its buffer', async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (s) => {
      for (let i = 0; i < 3; i++) s.send(Buffer.alloc(20_000, i));
    });
    await new Promise<void>((r) => wss!.once('listening', () => r()));
    const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`) as Internals;
    trackMessageBuffers(ws);
    const seen: { carriedThis: boolean; emptied: boolean; byte: number }[] = [];
    let carrier: unknown[] | undefined;
    await new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const previous = carrier;
        const carriedThis = previous !== undefined && previous[0] === data;
        releaseMessageBuffers(ws);
        seen.push({ carriedThis, emptied: previous === undefined || previous.length === 0, byte: data[0]! });
        carrier = ws._receiver._fragments;
        if (seen.length === 3) resolve();
      });
    });
    ws.terminate();
    expect(seen.map((s) => s.byte)).toEqual([0, 1, 2]);
    expect(seen.slice(1).map((s) => s.carriedThis)).toEqual([true, true]);
    expect(seen.map((s) => s.emptied)).toEqual([true, true, true]);
  });

  it('leaves a socket without the receiver internal alone', () => {
    const fake = {} as WebSocket;
    trackMessageBuffers(fake);
    expect(() => releaseMessageBuffers(fake)).not.toThrow();
  });
});
