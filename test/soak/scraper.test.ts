// Scraper against a real HTTP server on 127.0.0.1 serving a prom-client registry: default and
// chosen series, label matchers, auth headers and userinfo, errors (401, timeout, refused) with
// secrets redacted, the interval loop, stop() during a hanging scrape, and bounded memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scraper, halvePoints } from '../../src/soak/scraper.js';

const TOKEN = 'scrape-token-7f3a9c';
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const connections = new Gauge({ name: 'framebench_server_connections', help: 'open connections', registers: [registry] });
new Gauge({ name: 'app_pool_open_connections', help: 'pool', labelNames: ['pool'], registers: [registry] }).set({ pool: 'a' }, 4);
const jobs = new Counter({ name: 'jobs_total', help: 'jobs', labelNames: ['kind'], registers: [registry] });
const latency = new Histogram({ name: 'req_seconds', help: 'latency', buckets: [0.1, 0.5, 1], registers: [registry] });
const wide = new Gauge({ name: 'wide_gauge', help: 'many label sets', labelNames: ['i'], registers: [registry] });

let server: Server;
let base = '';
const hanging = new Set<ServerResponse>();

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/hang') {
    hanging.add(res);
    return;
  }
  if (url.pathname === '/private' && req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.writeHead(401, 'Unauthorized').end();
    return;
  }
  if (url.pathname === '/basic' && req.headers.authorization !== `Basic ${Buffer.from('scraper:pa ss').toString('base64')}`) {
    res.writeHead(401).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': registry.contentType }).end(await registry.metrics());
}

beforeAll(async () => {
  connections.set(120);
  jobs.inc({ kind: 'encode' }, 5);
  latency.observe(0.3);
  for (let i = 0; i < 30; i++) wide.set({ i: String(i) }, i);
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const names = (s: Scraper): string[] => (s.results()[0]?.series ?? []).map((x) => x.name).sort();

describe('Scraper', () => {
  it('keeps the default series and the chosen ones, one point per scrape', async () => {
    let now = 10_000;
    const s = new Scraper({ urls: [`${base}/metrics`], series: ['jobs_total{kind="encode"}', 'req_seconds', 'req_seconds_bucket{le=~"0\\\\.5|1"}'], intervalMs: 1000, now: () => now });
    s.start(10_000);
    await s.scrapeOnce();
    now = 25_000;
    connections.set(130);
    await s.scrapeOnce();
    await s.stop();
    expect(names(s)).toEqual([
      'app_pool_open_connections',
      'framebench_server_connections',
      'jobs_total',
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
      'req_seconds_bucket',
      'req_seconds_bucket',
      'req_seconds_count',
      'req_seconds_sum',
    ]);
    const [result] = s.results();
    expect(result).toMatchObject({ url: `${base}/metrics`, errors: 0, scrapes: 2 });
    const conns = result?.series.find((x) => x.name === 'framebench_server_connections');
    expect(conns?.points).toEqual([
      [0, 120],
      [15, 130],
    ]);
    const memory = result?.series.find((x) => x.name === 'process_resident_memory_bytes');
    expect(memory?.points[0]?.[1]).toBeGreaterThan(10e6);
    expect(
      result?.series
        .filter((x) => x.name === 'req_seconds_bucket')
        .map((x) => x.labels.le)
        .sort(),
    ).toEqual(['0.5', '1']);
    expect(result?.series.find((x) => x.name === 'app_pool_open_connections')?.labels).toEqual({ pool: 'a' });
  });

  it('sends headers, redacts secrets in the URL and in errors, and reports to onError', async () => {
    const seen: Array<[string, string]> = [];
    const bad = new Scraper({ urls: [`${base}/private?token=${TOKEN}`], series: [], intervalMs: 1000, onError: (url, err) => seen.push([url, err.message]) });
    await bad.scrapeOnce();
    const [r] = bad.results();
    expect(r).toMatchObject({ url: `${base}/private?token=[redacted]`, errors: 1, series: [] });
    expect(r?.lastError).toBe(`${base}/private?token=[redacted]: HTTP 401 Unauthorized`);
    expect(seen).toEqual([[`${base}/private?token=[redacted]`, r?.lastError]]);
    expect(JSON.stringify(bad.results())).not.toContain(TOKEN);

    const good = new Scraper({ urls: [`${base}/private`], series: [], intervalMs: 1000, headers: { Authorization: `Bearer ${TOKEN}` } });
    await good.scrapeOnce();
    expect(good.results()[0]).toMatchObject({ errors: 0, scrapes: 1 });
    expect(names(good)).toContain('process_resident_memory_bytes');
  });

  it('turns userinfo into Basic auth and never returns the password', async () => {
    const s = new Scraper({ urls: [`http://scraper:pa%20ss@127.0.0.1:${new URL(base).port}/basic`], series: [], intervalMs: 1000 });
    await s.scrapeOnce();
    const [r] = s.results();
    expect(r).toMatchObject({ errors: 0, url: `http://scraper@127.0.0.1:${new URL(base).port}/basic` });
    expect(JSON.stringify(r)).not.toContain('pa%20ss');
  });

  it('counts timeouts and refused connections as errors without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const s = new Scraper({ urls: [`${base}/hang`, `http://127.0.0.1:${deadPort}/metrics?api_key=${TOKEN}`], series: [], intervalMs: 1000, timeoutMs: 150 });
    await s.scrapeOnce();
    const [hang, dead] = s.results();
    expect(hang).toMatchObject({ errors: 1, lastError: `${base}/hang: timed out after 150 ms` });
    expect(dead?.errors).toBe(1);
    expect(dead?.lastError).toContain('ECONNREFUSED');
    expect(dead?.lastError).toContain('api_key=[redacted]');
    expect(JSON.stringify(s.results())).not.toContain(TOKEN);
  });

  it('scrapes on its interval until stopped; stop() aborts a hanging scrape without an error', async () => {
    const s = new Scraper({ urls: [`${base}/metrics`], series: [], intervalMs: 40 });
    s.start(Date.now());
    await new Promise((r) => setTimeout(r, 300));
    await s.stop();
    const count = s.results()[0]?.series.find((x) => x.name === 'framebench_server_connections')?.points.length ?? 0;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 120));
    expect(s.results()[0]?.series.find((x) => x.name === 'framebench_server_connections')?.points.length).toBe(count);
    const times = s.results()[0]?.series[0]?.points.map(([t]) => t) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const h = new Scraper({ urls: [`${base}/hang`], series: [], intervalMs: 1000, timeoutMs: 10_000 });
    h.start(Date.now());
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await h.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(h.results()[0]).toMatchObject({ errors: 0, scrapes: 0 });
  });

  it('bounds memory: points per series halve by averaging, series per URL are capped', async () => {
    let now = 0;
    const s = new Scraper({ urls: [`${base}/metrics`], series: ['wide_gauge'], intervalMs: 1000, maxPointsPerSeries: 8, maxSeriesPerUrl: 12, now: () => now });
    s.start(0);
    await s.stop();
    for (let i = 0; i < 20; i++) {
      now = i * 1000;
      await s.scrapeOnce();
    }
    const [r] = s.results();
    expect(r?.series).toHaveLength(12);
    expect(r?.droppedSeries).toBeGreaterThan(0);
    for (const series of r?.series ?? []) {
      expect(series.points.length).toBeLessThanOrEqual(8);
      expect(series.points.length).toBeGreaterThanOrEqual(4);
      const ts = series.points.map(([t]) => t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
    expect(
      halvePoints([
        [0, 1],
        [1, 3],
        [2, 5],
        [3, 7],
        [4, 9],
      ]),
    ).toEqual([
      [0.5, 2],
      [2.5, 6],
      [4, 9],
    ]);
  });

  it('rejects a malformed series selector with a message naming it', () => {
    expect(() => new Scraper({ urls: [], series: ['bad{x=1}'], intervalMs: 1000 })).toThrow(/--series "bad\{x=1\}"/);
    expect(() => new Scraper({ urls: [], series: ['9bad'], intervalMs: 1000 })).toThrow(/expected a metric name/);
  });
});
