import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isLoopbackHost, startFaultProxy } from '../../src/chaos/proxy.js';
import { mulberry32 } from '../../src/chaos/schedule.js';
import { UsageError } from '../../src/errors.js';
import { connectClient, median, nextMessage, probes, sleep, startRig, type Rig } from './ws-helpers.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; error?: string }>((resolve) => {
    let error: string | undefined;
    ws.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    ws.once('close', (code) => resolve(error === undefined ? { code } : { code, error }));
  });

describe('fault proxy', () => {
  it('forwards a WebSocket session end to end and forgets closed connections', async () => {
    const ws = await connectClient(rig.proxy.url('/stream'));
    expect(rig.proxy.connections()).toBe(1);
    for (const text of ['hello', 'x'.repeat(200_000)]) {
      ws.send(text);
      expect(await nextMessage(ws, 2000)).toBe(text);
    }
    const done = closed(ws);
    ws.close(1000, 'bye');
    expect((await done).code).toBe(1000);
    await sleep(50);
    expect(rig.proxy.connections()).toBe(0);
    const stats = rig.proxy.stats();
    expect(stats.accepted).toBe(1);
    expect(stats.bytesUp).toBeGreaterThan(200_000);
    expect(stats.bytesDown).toBeGreaterThan(200_000);
  });

  it('keeps every byte in order under latency, jitter and a bandwidth limit together', async () => {
    const ws = await connectClient(rig.proxy.url());
    rig.proxy.set({ latencyMs: 5, jitterMs: 5, bandwidthBytesPerSec: 8_000_000 });
    const sent = Array.from({ length: 200 }, (_, i) => `${i}:${String(i % 10).repeat(1000 + ((i * 7919) % 9000))}`);
    const got: string[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        got.push(data.toString());
        if (got.length === sent.length) resolve();
      }),
    );
    for (const text of sent) ws.send(text);
    await all;
    expect(got).toEqual(sent);
    ws.terminate();
  });

  it('adds the asked latency to each direction: 20 ms asked, median added one-way delay 20 ± 2 ms, RTT 40 ± 4 ms', async () => {
    const ws = await connectClient(rig.proxy.url());
    await probes(ws, 10);
    const base = await probes(ws, 30);
    rig.proxy.set({ latencyMs: 20 });
    const slow = await probes(ws, 30);
    const added = {
      up: median(slow.map((s) => s.up)) - median(base.map((s) => s.up)),
      down: median(slow.map((s) => s.down)) - median(base.map((s) => s.down)),
      rtt: median(slow.map((s) => s.rtt)) - median(base.map((s) => s.rtt)),
    };
    console.log('latency 20 ms asked, added:', added, 'per-sample rtt range', Math.min(...slow.map((s) => s.rtt)), Math.max(...slow.map((s) => s.rtt)));
    expect(Math.abs(added.up - 20)).toBeLessThanOrEqual(2);
    expect(Math.abs(added.down - 20)).toBeLessThanOrEqual(2);
    expect(Math.abs(added.rtt - 40)).toBeLessThanOrEqual(4);
    for (const s of slow) expect(s.up).toBeGreaterThanOrEqual(19.5);
    for (const s of slow) expect(s.down).toBeGreaterThanOrEqual(19.5);
    rig.proxy.set({});
    expect(median((await probes(ws, 10)).map((s) => s.rtt))).toBeLessThan(10);
    ws.terminate();
  });

  it('spreads delays with jitter: 20 ± 10 ms never goes below 10 ms, 95 % of delays stay under 30 + 2 ms, and the range is used', async () => {
    const ws = await connectClient(rig.proxy.url());
    rig.proxy.set({ latencyMs: 20, jitterMs: 10 });
    const samples = await probes(ws, 60);
    const delays = samples.flatMap((s) => [s.up, s.down]);
    console.log('jitter 20±10 one-way: min', Math.min(...delays), 'max', Math.max(...delays), 'median', median(delays));
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(9.5);
    expect(delays.filter((d) => d <= 32).length).toBeGreaterThanOrEqual(0.95 * delays.length);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(12);
    expect(Math.abs(median(delays) - 20)).toBeLessThan(4);
    ws.terminate();
  });

  it('limits bandwidth: 1 MB at 1 MB/s takes 1 s ± 20 % in each direction', async () => {
    const ws = await connectClient(rig.proxy.url());
    rig.proxy.set({ bandwidthBytesPerSec: 1_000_000 });
    const total = 1_000_000;
    let got = 0;
    const t0 = performance.now();
    const down = await new Promise<number>((resolve) => {
      ws.on('message', (data: Buffer, isBinary) => {
        if (isBinary && (got += data.length) >= total) resolve(performance.now() - t0);
      });
      ws.send(JSON.stringify({ bulk: total }));
    });
    ws.removeAllListeners('message');
    const t1 = performance.now();
    ws.send(Buffer.alloc(total, 1));
    expect(await nextMessage(ws, 5000)).toBe(JSON.stringify({ got: total }));
    const up = performance.now() - t1;
    console.log(`bandwidth 1 MB/s: down ${down.toFixed(0)} ms, up ${up.toFixed(0)} ms for 1 MB`);
    expect(down).toBeGreaterThan(800);
    expect(down).toBeLessThan(1200);
    expect(up).toBeGreaterThan(800);
    expect(up).toBeLessThan(1200);
    ws.terminate();
  });

  it('black-holes both directions while the sockets stay open, then delivers held traffic when the window ends', async () => {
    const serverSide = new Promise<WebSocket>((resolve) => rig.wss.once('connection', resolve));
    const ws = await connectClient(rig.proxy.url());
    const server = await serverSide;
    rig.proxy.set({ blackhole: true });
    ws.send('held');
    let pongs = 0;
    ws.on('pong', () => pongs++);
    ws.ping();
    expect(await nextMessage(ws, 400)).toBeUndefined();
    expect(pongs).toBe(0);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(server.readyState).toBe(WebSocket.OPEN);
    expect(rig.proxy.connections()).toBe(1);
    const resumed = nextMessage(ws, 1000);
    rig.proxy.set({});
    expect(await resumed).toBe('held');
    ws.send('after');
    expect(await nextMessage(ws, 1000)).toBe('after');
    expect(pongs).toBe(1);
    ws.terminate();
  });

  it('black-holes until a heartbeat detects it (server pings every 100 ms, terminates after a missed pong)', async () => {
    const serverSide = new Promise<WebSocket>((resolve) => rig.wss.once('connection', resolve));
    const ws = await connectClient(rig.proxy.url());
    const server = await serverSide;
    let alive = true;
    let detectedAt: number | undefined;
    server.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) {
        detectedAt = performance.now();
        clearInterval(heartbeat);
        server.terminate();
        return;
      }
      alive = false;
      server.ping();
    }, 100);
    await sleep(350);
    expect(detectedAt).toBeUndefined();
    const holeAt = performance.now();
    rig.proxy.set({ blackhole: true });
    await sleep(400);
    clearInterval(heartbeat);
    expect(detectedAt).toBeDefined();
    const after = (detectedAt as number) - holeAt;
    console.log(`black hole detected by the heartbeat after ${after.toFixed(0)} ms`);
    expect(after).toBeGreaterThan(90);
    expect(after).toBeLessThan(320);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const clientSees = closed(ws);
    rig.proxy.set({});
    expect((await clientSees).code).toBe(1006);
  });

  it('resetAll resets every connection: clients see an abnormal close', async () => {
    const a = await connectClient(rig.proxy.url());
    const b = await connectClient(rig.proxy.url());
    const seen = Promise.all([closed(a), closed(b)]);
    expect(rig.proxy.resetAll()).toBe(2);
    for (const r of await seen) expect(r.code).toBe(1006);
    await sleep(50);
    expect(rig.proxy.connections()).toBe(0);
    expect(rig.proxy.stats().resets).toBe(2);
  });

  it('dropFraction closes a seeded choice of connections without a close frame and leaves the rest working', async () => {
    const hitBySeed: number[][] = [];
    for (let round = 0; round < 2; round++) {
      const clients: WebSocket[] = [];
      for (let i = 0; i < 6; i++) clients.push(await connectClient(rig.proxy.url()));
      const codes: Array<number | undefined> = clients.map(() => undefined);
      clients.forEach((c, i) => c.once('close', (code) => (codes[i] = code)));
      expect(rig.proxy.dropFraction(0.5, mulberry32(42))).toBe(3);
      await sleep(100);
      const hit = codes.flatMap((c, i) => (c === undefined ? [] : [i]));
      expect(hit).toHaveLength(3);
      for (const i of hit) expect(codes[i]).toBe(1006);
      for (const [i, c] of clients.entries()) {
        if (hit.includes(i)) continue;
        c.send(`still ${i}`);
        expect(await nextMessage(c, 1000)).toBe(`still ${i}`);
        c.terminate();
      }
      hitBySeed.push(hit);
      await sleep(50);
    }
    expect(hitBySeed[1]).toEqual(hitBySeed[0]);
  });
});

describe('fault proxy targets', () => {
  it('recognises loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['10.0.0.1', '192.0.2.1', 'example.com', '::2', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('resets the client when the target cannot be reached', async () => {
    const probeServer = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: 9 });
    const port = probeServer.port;
    await probeServer.close();
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: port });
    const ws = new WebSocket(proxy.url());
    const outcome = await closed(ws);
    expect(outcome.code).toBe(1006);
    expect(proxy.stats().errors).toBeGreaterThanOrEqual(1);
    await proxy.close();
  });

  it('refuses a non-loopback target unless allowRemote is set', async () => {
    const attempt = startFaultProxy({ targetHost: '192.0.2.1', targetPort: 80 });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/not a loopback address .*allowRemote: true/);
    const remote = await startFaultProxy({ targetHost: '192.0.2.1', targetPort: 80, allowRemote: true });
    expect(remote.port).toBeGreaterThan(0);
    await remote.close();
  });
});
