// Pure parts of the multi-process server: splitting a drop count, summing stats, and the IPC
// request/reply channel (wired back to back in memory).
import { describe, expect, it } from 'vitest';
import { splitCount } from '../../src/server/admin-http.js';
import { CallChannel } from '../../src/server/cluster-ipc.js';
import { addStats, emptyStats } from '../../src/server/stats.js';

describe('splitCount', () => {
  it('splits in proportion to connections, adds up exactly, never over a share', () => {
    expect(splitCount(10, [20, 20])).toEqual([5, 5]);
    expect(splitCount(5, [21, 19])).toEqual([3, 2]);
    expect(splitCount(7, [1, 0, 30])).toEqual([0, 0, 7]);
    expect(splitCount(50, [3, 4])).toEqual([3, 4]);
    expect(splitCount(3, [0, 0])).toEqual([0, 0]);
    expect(splitCount(0, [5, 5])).toEqual([0, 0]);
    for (let count = 0; count <= 40; count++) {
      const parts = splitCount(count, [13, 1, 26]);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(Math.min(count, 40));
      parts.forEach((p, i) => expect(p).toBeLessThanOrEqual([13, 1, 26][i]!));
    }
  });
});

describe('addStats', () => {
  it('sums every field, or only the counters for an exited process', () => {
    const a = { ...emptyStats(), connections: 3, activeRequests: 2, framesSent: 10, bytesSent: 100 };
    const b = { ...emptyStats(), connections: 1, detachedStreams: 4, framesSent: 5, adminDrops: 1 };
    const sum = addStats(addStats(emptyStats(), a), b);
    expect(sum).toMatchObject({ connections: 4, activeRequests: 2, detachedStreams: 4, framesSent: 15, bytesSent: 100, adminDrops: 1 });
    expect(addStats(emptyStats(), a, true)).toMatchObject({ connections: 0, activeRequests: 0, framesSent: 10, bytesSent: 100 });
  });
});

describe('CallChannel', () => {
  type A = { double: [number, number] };
  type B = { greet: [string, string]; fail: [undefined, never] };

  function pair(): { a: CallChannel<A, B>; b: CallChannel<B, A>; cut(): void } {
    let open = true;
    const to =
      (peer: () => { receive(m: unknown): boolean }) =>
      (m: unknown): boolean => {
        if (open) queueMicrotask(() => peer().receive(m));
        return open;
      };
    const a: CallChannel<A, B> = new CallChannel<A, B>(
      to(() => b),
      { double: (n) => n * 2 },
    );
    const b: CallChannel<B, A> = new CallChannel<B, A>(
      to(() => a),
      {
        greet: async (name) => `hello ${name}`,
        fail: () => {
          throw new Error('nope');
        },
      },
    );
    return { a, b, cut: () => (open = false) };
  }

  it('answers calls both ways, carries errors, times out, and rejects when closed or cut', async () => {
    const { a, b, cut } = pair();
    expect(await a.call('greet', 'x')).toBe('hello x');
    expect(await b.call('double', 21)).toBe(42);
    await expect(a.call('fail', undefined)).rejects.toThrow('nope');
    expect(a.receive({ type: 'other' })).toBe(false);
    const silent = new CallChannel<A, B>(() => true, { double: (n) => n });
    await expect(silent.call('greet', 'y', 20)).rejects.toThrow(/no answer to greet within 20 ms/);
    const pending = silent.call('greet', 'z');
    silent.close('peer gone');
    await expect(pending).rejects.toThrow('peer gone');
    cut();
    await expect(a.call('greet', 'w')).rejects.toThrow(/closed/);
  });
});
