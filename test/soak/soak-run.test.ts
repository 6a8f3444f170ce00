// bench soak end to end: stages against the embedded reference server over TLS (a self-signed
// certificate made here) with a bearer token that must not appear in any output file.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const TOKEN = 'sk-soak-7f3a9c2e41d8b6';
const dir = tempDir('fb-soak-');
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });

const scenarioFile = join(dir, 'soak.yaml');
writeFileSync(
  scenarioFile,
  [
    'name: soak-test',
    'fps: 10',
    'framesPerRequest: continuous',
    'resolution: 240p',
    'corpusFrames: 12',
    'drainTimeout: 3s',
    'heartbeat: { interval: 1s, timeout: 3s }',
    'stages:',
    '  - { duration: 4s, target: 12 }',
    '  - { duration: 12s, target: 12 }',
    '  - { duration: 4s, target: 0 }',
    'scrape: { fromTarget: true, interval: 2s }',
    'chaos:',
    '  - { kind: kill-clients, at: 6s, fraction: 0.25 }',
    '  - { kind: kill-clients, at: 14s, fraction: 0.25 }',
    'drift:',
    '  framesPerSec: "< 50%"',
    '',
  ].join('\n'),
);

describe('bench soak', () => {
  let server: EmbeddedServer;
  beforeAll(async () => {
    server = await spawnEmbeddedServer({ token: TOKEN, tlsCertFile: cert, tlsKeyFile: key, cacheDir: TEST_CACHE_DIR, prewarm: [{ format: 'webp', width: 426, height: 240, quality: 75, frames: 12 }], corpusFrames: 12 });
  });
  afterAll(() => server.stop());

  it('20 s of stages over TLS with a bearer token: results, scraped series, drift; the token is in no output file', async () => {
    expect(server.url).toMatch(/^wss:\/\//);
    const out = join(dir, 'run');
    const r = await runCli(['soak', scenarioFile, '--target', `${server.url}stream?token=${TOKEN}`, '--ca', cert, '--header', `Authorization: Bearer ${TOKEN}`, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--progress-interval', '5s'], {
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/soak \d+:\d\d\/0:20/);
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const cell = results.cells[0];
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    expect(Math.max(...cell.timeseries.map((p: { connections: number }) => p.connections))).toBe(12);
    expect(results.soak.stages).toEqual([
      { duration: '4s', target: 12 },
      { duration: '12s', target: 12 },
      { duration: '4s', target: 0 },
    ]);
    expect(results.soak.holdWindow).toEqual({ fromSec: 4, toSec: 16 });
    // Faults are planned over the whole of the stages, not over the scenario's (default 10 s) duration.
    const kills = cell.events.filter((e: { kind: string }) => e.kind === 'kill-clients');
    expect(kills.map((e: { t: number }) => Math.round(e.t))).toEqual([6, 14]);
    const names = results.soak.scrape[0].series.map((s: { name: string }) => s.name);
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('framebench_server_connections');
    expect(results.soak.scrape[0].series[0].points.length).toBeGreaterThanOrEqual(5);
    expect(results.soak.drift.metrics.map((m: { metric: string }) => m.metric)).toEqual(expect.arrayContaining(['frame.p99', 'framesPerSec', 'target.memory']));
    expect(results.soak.driftThresholds[0].expr).toMatch(/framesPerSec/);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(TOKEN);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="soak"');
  });

  it('SIGINT in the middle stops the load, writes valid results marked interrupted and exits 130', async () => {
    const out = join(dir, 'interrupted');
    let sent = false;
    const r = await runCli(['soak', scenarioFile, '--target', server.url, '--ca', cert, '--header', `Authorization: Bearer ${TOKEN}`, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--progress-interval', '1s'], {
      timeoutMs: 60_000,
      onStderr: (text, child) => {
        if (!sent && /soak 0:0[3-9]/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(r.code).toBe(130);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.interrupted).toBe(true);
    expect(results.schema).toBe('framebench/results@1');
    const c = results.cells[0].counts;
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
    expect(readFileSync(join(out, 'timeseries.ndjson'), 'utf8').split('\n').length).toBeGreaterThan(2);
    expect(readdirSync(out)).toContain('report.html');
  });

  it('bench report renders what a killed run left on disk', async () => {
    const out = join(dir, 'interrupted');
    const html = join(dir, 'from-log.html');
    const r = await runCli(['report', join(out, 'timeseries.ndjson'), '-o', html]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('timeseries.ndjson');
  });

  it('a soak without a shape explains what it needs', async () => {
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, 'clients: 2\n');
    const r = await runCli(['soak', plain, '--cache-dir', TEST_CACHE_DIR]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a soak needs a shape: pass --peak N');
  });
});
