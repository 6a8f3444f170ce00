import { describe, expect, it } from 'vitest';
import { nextTickDelayUs } from '../../src/client/transports/poll-client.js';
import { httpOrigin, streamQuery } from '../../src/client/transports/wire-meter.js';
import { transportRows } from '../../src/report/transport-rows.js';
import type { Results } from '../../src/results/types.js';
import { resultsSmall as smallResults } from '../fixtures/results-small.js';

describe('polling grid', () => {
  it('waits for the next tick of the grid, never bunching missed ticks', () => {
    expect(nextTickDelayUs(0, 10_000, 0)).toBe(10_000);
    expect(nextTickDelayUs(0, 10_000, 3_000)).toBe(7_000);
    expect(nextTickDelayUs(0, 10_000, 35_000)).toBe(5_000);
    expect(nextTickDelayUs(1_000, 10_000, 11_000)).toBe(10_000);
  });
});

describe('HTTP transport URLs', () => {
  it('maps ws(s) targets to http(s) origins and carries the stream fields and token', () => {
    expect(httpOrigin('ws://127.0.0.1:8080/stream?token=x')).toBe('http://127.0.0.1:8080');
    expect(httpOrigin('wss://[::1]:9/')).toBe('https://[::1]:9');
    const q = new URLSearchParams(streamQuery({ format: 'jpeg', resolution: '480p', quality: 80, fps: 15 }, 0, 3, 'tok'));
    expect(Object.fromEntries(q)).toEqual({ format: 'jpeg', resolution: '480p', quality: '80', fps: '15', frames: '0', requestId: '3', token: 'tok' });
  });
});

describe('transportRows', () => {
  it('is empty when the run does not vary transport', () => {
    expect(transportRows(smallResults)).toEqual([]);
  });
  it('compares each cell with the binary cell of the same other fields', () => {
    const [a] = smallResults.cells;
    const cell = (transport: string, format: string, bytesPerFrame: number, extra: object = {}) => ({
      ...a!,
      id: `${transport}-${format}`,
      params: { ...a!.params, transport, format },
      throughput: { ...a!.throughput, bytesPerFrame },
      ...extra,
    });
    const results: Results = {
      ...smallResults,
      cells: [cell('binary', 'webp', 1000), cell('sse', 'webp', 1340, { cpu: { clientMsPerFrame: 0.5, serverMsPerFrame: 0.2 } }), cell('http-poll', 'jpeg', 2100, { requestsPerFrame: 1.8 }), cell('binary', 'jpeg', 2000)],
    };
    const rows = transportRows(results);
    expect(rows.map((r) => [r.cell, r.vsBinary])).toEqual([
      ['binary-webp', 1],
      ['sse-webp', 1.34],
      ['http-poll-jpeg', 1.05],
      ['binary-jpeg', 1],
    ]);
    expect(rows[1]).toMatchObject({ clientCpuMsPerFrame: 0.5, serverCpuMsPerFrame: 0.2 });
    expect(rows[2]!.requestsPerFrame).toBe(1.8);
  });
});
