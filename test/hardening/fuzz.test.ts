// Bounded fuzz run in the suite: about 20k hostile messages from every family (bench/fuzz-driver.js)
// against the reference server child process, a well-behaved viewer beside them. The server stays
// up, the viewer keeps its frame rate, replies stay small, memory stays bounded, and every limit is
// hit and counted in /metrics. `npm run bench:fuzz` is the long form.
import { afterAll, describe, expect, it } from 'vitest';
import { runFuzz, serverMetrics } from '../../bench/fuzz-driver.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { tempCacheDir } from '../server/helpers.js';

const cache = tempCacheDir();
let server: EmbeddedServer | undefined;
afterAll(async () => {
  await server?.stop();
  cache.remove();
});

interface Family {
  family: string;
  messages?: number;
  replies?: number;
  maxReplyBytes?: number;
  codes?: Record<string, number>;
  closes?: Record<string, number>;
}

describe('fuzzing the reference server', () => {
  it('survives ~20k hostile messages with every limit hit and counted', async () => {
    server = await spawnEmbeddedServer({
      host: '127.0.0.1',
      port: 0,
      cacheDir: cache.dir,
      corpusFrames: 2,
      idleTimeoutMs: 5000,
      slowClientMs: 2000,
      maxBufferBytes: 256 * 1024,
      maxCorpusEntries: 4,
      maxQueuedEncodes: 2,
      maxMessageBytes: 256 * 1024,
      // What the peers that never read ask for: served from memory at once.
      prewarm: [{ format: 'png', width: 854, height: 480, quality: 75 }],
    });
    const r = await runFuzz({ port: server.port, scale: 3000, idleWaitMs: 15_000 });
    const families = r.families as Family[];
    process.stdout.write(`${JSON.stringify({ ...r, metrics: undefined })}\n`);
    const sent = families.reduce((n, f) => n + (f.messages ?? 0), 0);
    expect(sent).toBeGreaterThanOrEqual(18_000);
    for (const f of families.filter((x) => x.replies !== undefined && x.family !== 'flood')) {
      expect(f.replies, f.family).toBeGreaterThan(0);
      expect(f.maxReplyBytes!, f.family).toBeLessThan(600);
    }
    expect(families.find((f) => f.family === 'over-budget')!.codes!.limit_exceeded).toBeGreaterThan(0);
    expect(families.find((f) => f.family === 'flood')!.closes!['1008']).toBeGreaterThan(0);
    expect(families.find((f) => f.family === 'idle')!.closes!['1008']).toBe(8);
    // Burst connections that never send a valid request are idle-closed too when they take longer than the limit.
    expect(families.find((f) => f.family === 'encodes')!.codes!.server_busy).toBeGreaterThan(0);
    // The viewer asked for 30 frames/s and got them throughout, on a loaded 2-core machine.
    expect(r.viewer.fps).toBeGreaterThan(24);
    expect(r.viewer.closed).toBeNull();
    expect(r.maxRssBytes).toBeLessThan(600 * 2 ** 20);
    let m = r.metrics;
    const deadline = Date.now() + 10_000;
    while (m.framebench_server_slow_client_closes_total < 4 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 200));
      m = await serverMetrics(server.port);
    }
    expect(m.framebench_server_slow_client_closes_total, 'framebench_server_slow_client_closes_total').toBe(4);
    process.stdout.write(`fuzz: ${sent} messages in ${r.seconds.toFixed(1)} s · viewer ${r.viewer.fps.toFixed(1)} frames/s (max gap ${r.viewer.maxGapMs.toFixed(0)} ms) · server RSS max ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB\n`);
    expect(m.framebench_server_replies_dropped_total, 'framebench_server_replies_dropped_total').toBeGreaterThan(0);
    expect(m.framebench_server_rate_limit_closes_total, 'framebench_server_rate_limit_closes_total').toBeGreaterThan(0);
    expect(m.framebench_server_idle_closes_total, 'framebench_server_idle_closes_total').toBeGreaterThanOrEqual(8);
    expect(m.framebench_server_requests_rejected_total, 'framebench_server_requests_rejected_total').toBeGreaterThan(0);
    expect(m.framebench_server_corpus_evictions_total, 'framebench_server_corpus_evictions_total').toBeGreaterThan(0);
    expect(m.framebench_server_corpus_entries, 'framebench_server_corpus_entries').toBeLessThanOrEqual(4);
    expect(m.framebench_server_encodes_cancelled_total, 'framebench_server_encodes_cancelled_total').toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
  }, 180_000);
});
