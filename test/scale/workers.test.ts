import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ClientPool } from '../../src/client/pool.js';
import { splitClients } from '../../src/client/worker-pool.js';
import { CellCollector } from '../../src/metrics/collector.js';
import { decodeHistogram } from '../../src/metrics/hdr.js';
import { mergeSnapshots } from '../../src/metrics/merge.js';
import { checkCapacity, openFileLimit } from '../../src/runner/capacity.js';
import { parseSourceIps, parseWorkers } from '../../src/cli/flags.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { detectSaturation } from '../../src/metrics/saturation.js';
import { TargetError, UsageError } from '../../src/errors.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = { resolution: '240p', fps: 20, framesPerRequest: 20, rampUp: '300ms', warmup: '300ms', duration: '2s', drainTimeout: '2s', corpusFrames: 12 };

describe('client workers', () => {
  it('split clients evenly', () => {
    expect(splitClients(10, 3)).toEqual([4, 3, 3]);
    expect(splitClients(2, 8)).toEqual([1, 1]);
  });

  it('merged snapshots equal one histogram of everything (exact)', () => {
    let now = 0;
    const a = new CellCollector(() => now);
    const b = new CellCollector(() => now);
    const all = new CellCollector(() => now);
    for (const c of [a, b, all]) c.startMeasuring();
    for (let i = 0; i < 5000; i++) {
      const v = 500 + ((i * 7919) % 90_000);
      (i % 2 ? a : b).frame(v, 0, 100);
      all.frame(v, 0, 100);
    }
    now = 1000;
    for (const c of [a, b, all]) c.tick(1);
    const merged = mergeSnapshots([a.snapshot(), b.snapshot()]);
    const whole = all.snapshot();
    expect({ ...merged.latencyMs.frame, hdr: '' }).toEqual({ ...whole.latencyMs.frame, hdr: '' });
    expect(merged.timeseries[0]!.p99).toBe(whole.timeseries[0]!.p99);
    expect(merged.timeseries[0]!.framesPerSec).toBe(whole.timeseries[0]!.framesPerSec);
  });

  it('a run over 2 worker processes gives the same form of results, with exact accounting and merging', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 12 }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 2 });
    const cell = results.cells[0]!;
    expect(cell.harness?.workers).toBe(2);
    expect(cell.counts.connects).toBe(12);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    const windowCounts = cell.timeseries.reduce((n, p) => n + decodeHistogram(p.hdr!).totalCount, 0);
    expect(decodeHistogram(cell.latencyMs.frame.hdr).totalCount).toBe(windowCounts);
    expect(cell.latencyMs.frame.count).toBe(windowCounts);
    expect(cell.timeseries.every((p) => p.connections === 12)).toBe(true);
    expect(cell.harnessSaturated).toBeUndefined();
    expect(results.harnessSaturated).toBeUndefined();
  });
});

describe('embedded server processes', () => {
  it('--server-workers 2 serves the run from a two-process cluster with exact accounting', async () => {
    const { results } = await runScenario(scenario({ ...base, clients: 10 }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, serverWorkers: 2 });
    const c = results.cells[0]!.counts;
    expect(c.connects).toBe(10);
    expect(c.framesLost).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived);
  });

  it('spreads the server side of the open-file budget over its processes', () => {
    expect(() => checkCapacity({ clients: 30_000, workers: 2, embeddedServer: true, sourceAddresses: 2, fileLimit: 20_000, serverWorkers: 2 })).not.toThrow();
  });
});

describe('source addresses', () => {
  let wss: WebSocketServer;
  const seen = new Set<string>();
  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws, req) => {
      seen.add(req.socket.remoteAddress ?? '');
      ws.on('message', () => undefined);
    });
    await new Promise((r) => wss.once('listening', r));
  });
  afterAll(() => new Promise<void>((r) => wss.close(() => r())));

  it('--source-ips spreads connections over the given local addresses (as the server sees them)', async () => {
    const port = (wss.address() as { port: number }).port;
    const addrs = parseSourceIps('127.0.0.2-127.0.0.4');
    expect(addrs).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    const pool = new ClientPool({
      url: `ws://127.0.0.1:${port}/`,
      params: { ...scenario({ ...base, clients: 9, duration: '300ms', drainTimeout: '100ms' }).scenario },
      offsetUs: 0,
      wsOptions: {},
      localAddresses: addrs,
    });
    const snap = await pool.run();
    expect(snap.counts.connects).toBe(9);
    expect([...seen].sort()).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  });

  it('rejects malformed address lists and worker counts', () => {
    expect(() => parseSourceIps('127.0.0.9-127.0.0.2')).toThrow(UsageError);
    expect(() => parseSourceIps('localhost')).toThrow(/is not an IPv4 address/);
    expect(() => parseWorkers('many')).toThrow(/expected "auto" or a whole number/);
  });
});

describe('capacity and saturation', () => {
  it('names the open-file limit and how to raise it', () => {
    expect(openFileLimit('Max open files            20000                20000                files\n')).toBe(20000);
    let err: unknown;
    try {
      checkCapacity({ clients: 30_000, workers: 2, embeddedServer: true, sourceAddresses: 2, fileLimit: 20_000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TargetError);
    expect((err as Error).message).toMatch(/30000 clients need about 30064 open files in the embedded server process, but the open-file limit is 20000: raise it \(e\.g\. `ulimit -n \d+`/);
    expect(() => checkCapacity({ clients: 40_000, workers: 4, embeddedServer: false, sourceAddresses: 1, fileLimit: 1e9 })).toThrow(/--source-ips 127\.0\.0\.2-127\.0\.0\.3/);
    expect(() => checkCapacity({ clients: 5000, workers: 0, embeddedServer: true, sourceAddresses: 1, fileLimit: 20_000 })).not.toThrow();
  });

  it('flags a starved harness and not a healthy one', () => {
    const healthy = Array.from({ length: 10 }, (_, i) => ({ t: i + 1, framesPerSec: 100, bytesPerSec: 0, p50: 1, p99: 2, connections: 1, errors: 0, harnessCpuPct: 30, loopDelayP99Ms: 12 }));
    expect(detectSaturation(healthy)?.saturated).toBe(false);
    const starved = healthy.map((p, i) => ({ ...p, loopDelayP99Ms: i % 2 ? 450 : 20 }));
    const v = detectSaturation(starved)!;
    expect(v.saturated).toBe(true);
    expect(v.reason).toMatch(/event loop was delayed by more than 100 ms \(p99\) in 5 of 10 windows \(worst 450 ms\)/);
  });

  it('a harness whose event loop is blocked reports itself saturated', async () => {
    const busy = setInterval(() => {
      const until = performance.now() + 250;
      while (performance.now() < until);
    }, 300);
    try {
      const { results } = await runScenario(scenario({ ...base, clients: 5, duration: '3s' }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR, workers: 0 });
      expect(results.cells[0]!.harnessSaturated).toBe(true);
      expect(results.harnessSaturated).toBe(true);
      expect(results.harnessSaturatedReason).toMatch(/event loop was delayed/);
    } finally {
      clearInterval(busy);
    }
  });
});
