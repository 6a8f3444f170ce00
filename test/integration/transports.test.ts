import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import type { CellResult } from '../../src/results/types.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = { resolution: '480p', format: 'webp', fps: 30, framesPerRequest: 30, rampUp: '300ms', warmup: '500ms', drainTimeout: '3s', clients: 4, duration: '2s' };
const ALL = ['binary', 'base64-json', 'sse', 'http-poll', 'http-longpoll'] as const;

describe('transports against the reference server', () => {
  let server: EmbeddedServer;
  let cells: Map<string, CellResult>;
  beforeAll(async () => {
    server = await spawnEmbeddedServer({ cacheDir: TEST_CACHE_DIR, prewarm: [{ format: 'webp', width: 854, height: 480, quality: 75 }] });
    const { results } = await runScenario(scenario({ ...base, sweep: { transport: [...ALL] } }), {
      command: 'run',
      target: server.url,
      outDir: tempDir(),
      cacheDir: TEST_CACHE_DIR,
    });
    cells = new Map(results.cells.map((c) => [String(c.params.transport), c]));
  }, 120_000);
  afterAll(() => server.stop());

  it.each(ALL)('%s: every frame accounted (expected = received + lost), nothing lost, every request completed', (t) => {
    const cell = cells.get(t)!;
    const c = cell.counts;
    expect(c.errors).toBe(0);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
    expect(c.framesLost).toBe(0);
    expect(c.framesReceived).toBeGreaterThan(4 * 30);
    expect(c.requestsCompleted).toBe(c.requests);
    expect(cell.latencyMs.frame.count).toBeGreaterThan(0);
    expect(cell.latencyMs.lateness.count).toBe(cell.latencyMs.frame.count);
    expect(cell.latencyMs.firstFrame.count).toBe(c.requests);
    expect(cell.cpu!.clientMsPerFrame).toBeGreaterThan(0);
    expect(cell.ok).toBe(true);
  });

  it('polling counts its HTTP requests: at least one per frame, short polling more than long polling', () => {
    const poll = cells.get('http-poll')!.counts;
    const long = cells.get('http-longpoll')!.counts;
    expect(cells.get('binary')!.counts.httpRequests).toBe(0);
    for (const c of [poll, long]) expect(c.httpRequests!).toBeGreaterThanOrEqual(c.framesReceived);
    expect(poll.httpRequests! / poll.framesReceived).toBeGreaterThan(long.httpRequests! / long.framesReceived);
    expect(cells.get('http-poll')!.requestsPerFrame).toBe(Math.round((poll.httpRequests! / poll.framesReceived) * 1000) / 1000);
  });

  it('base64 transports carry about 4/3 the bytes of binary per frame (SSE and HTTP framing included)', () => {
    const bin = cells.get('binary')!.throughput.bytesPerFrame;
    const json = cells.get('base64-json')!.throughput.bytesPerFrame;
    const sse = cells.get('sse')!.throughput.bytesPerFrame;
    const poll = cells.get('http-poll')!.throughput.bytesPerFrame;
    expect(bin).toBeGreaterThan(5000);
    expect(json / bin).toBeGreaterThan(1.28);
    expect(json / bin).toBeLessThan(1.4);
    expect(sse / bin).toBeGreaterThan(1.28);
    expect(sse / bin).toBeLessThan(1.45);
    expect(sse).toBeGreaterThan(json * 0.99);
    // binary body plus HTTP headers of every poll: more than the WebSocket message, far less than base64
    expect(poll).toBeGreaterThan(bin);
    expect(poll / bin).toBeLessThan(1.2);
  });

  it.each(['sse', 'http-poll', 'http-longpoll'] as const)(
    '%s continuous streams end at stop and are accounted exactly',
    async (t) => {
      // sse runs on a server the run starts itself, so its CPU per frame is measured too
      const { results } = await runScenario(scenario({ ...base, clients: 3, duration: '1500ms', framesPerRequest: 'continuous', transport: t }), {
        command: 'run',
        ...(t === 'sse' ? {} : { target: server.url }),
        outDir: tempDir(),
        cacheDir: TEST_CACHE_DIR,
      });
      const c = results.cells[0]!.counts;
      if (t === 'sse') expect(results.cells[0]!.cpu!.serverMsPerFrame).toBeGreaterThan(0);
      expect(c.requests).toBe(3);
      expect(c.requestsCompleted).toBe(3);
      expect(c.framesLost).toBe(0);
      expect(c.framesExpected).toBe(c.framesReceived);
      expect(c.framesReceived).toBeGreaterThan(3 * 30);
    },
    60_000,
  );
});

describe('connection: reuse | per-request', () => {
  it.each(['sse', 'http-poll'] as const)(
    '%s: per-request opens a connection for every request, reuse one per client; accounting stays exact',
    async (t) => {
      const { results } = await runScenario(scenario({ ...base, clients: 3, duration: '1500ms', framesPerRequest: 10, transport: t, sweep: { connection: ['reuse', 'per-request'] } }), {
        command: 'run',
        outDir: tempDir(),
        cacheDir: TEST_CACHE_DIR,
      });
      const [reuse, perRequest] = results.cells;
      expect(reuse!.params.connection).toBe('reuse');
      expect(reuse!.counts.connects).toBe(3);
      const c = perRequest!.counts;
      // every measured request on its own connection, plus the warm-up requests' connections
      expect(c.connects).toBeGreaterThanOrEqual(c.requests);
      expect(c.errors).toBe(0);
      expect(c.framesLost).toBe(0);
      expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
      expect(c.requestsCompleted).toBe(c.requests);
      expect(perRequest!.latencyMs.firstFrame.count).toBe(c.requests);
      expect(perRequest!.latencyMs.firstFrame.max).toBeGreaterThanOrEqual(perRequest!.latencyMs.connect.min);
    },
    90_000,
  );
});
