// Chaos and soak against a server framebench did not write (the `ws` fixture): killed clients, a
// network black hole through the fault proxy and a restart by command; clients reconnect and
// re-send their request (no resume, cancel or clock messages reach the server), accounting stays
// exact; a soak keeps every client requesting for the whole hold.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenario } from '../../src/scenario/load.js';
import { FOREIGN_DIR, startWsServer, type ForeignServer, type ServerRecord } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const SCENARIO = join(ROOT, 'scenarios', 'protocols', 'binary-then-json-done.yaml');
const servers: ForeignServer[] = [];
const pidfiles: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const f of pidfiles) {
    if (!existsSync(f)) continue;
    try {
      process.kill(Number(readFileSync(f, 'utf8')), 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
});

describe('chaos and soak against a foreign server', () => {
  it('kill-clients, a network black hole and a restart by command: reconnects re-send the request, accounting exact', async () => {
    const pidfile = join(tempDir('fb-foreign-pid-'), 'server.pid');
    pidfiles.push(pidfile);
    const server = await startWsServer('--pidfile', pidfile);
    const restart = `kill -TERM $(cat ${pidfile}); sleep 0.3; cd ${FOREIGN_DIR} && ${process.execPath} ws-frames-server.mjs --port ${server.port} --pidfile ${pidfile} </dev/null >/dev/null 2>&1 &`;
    const loaded = await loadScenario(SCENARIO, []);
    const s = loaded.scenario;
    Object.assign(s, {
      clients: 8,
      rampUp: '300ms',
      warmup: '500ms',
      duration: '8s',
      drainTimeout: '3s',
      framesPerRequest: 15,
      fps: 20,
      resolution: '240p',
      thresholds: undefined,
      reconnect: { enabled: true, base: '50ms', cap: '500ms', maxAttempts: 0, resume: true },
      heartbeat: { interval: '300ms', timeout: '1s' },
      chaos: [
        { kind: 'kill-clients', at: '1s', fraction: 0.5 },
        { kind: 'network', at: '2500ms', duration: '1500ms', blackhole: true },
        { kind: 'command', at: '5s', run: restart, timeout: '10s' },
      ],
    });
    const { results } = await runScenario(loaded, { command: 'run', target: server.url, outDir: tempDir(), cacheDir: TEST_CACHE_DIR });
    const cell = results.cells[0]!;
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    expect(cell.counts.reconnects).toBeGreaterThan(4);
    expect(cell.errorsByKind.heartbeat_timeout).toBeGreaterThan(0);
    for (const kind of ['kill-clients', 'network', 'command']) expect(cell.events.map((e) => e.kind)).toContain(kind);
    expect(cell.events.find((e) => e.kind === 'command')!.detail).not.toMatch(/exit(ed)? (with )?(code )?[1-9]/);
    // the restarted server (same port) got requests again, and only requests
    const after = (await (await fetch(`http://127.0.0.1:${server.port}/record`)).json()) as ServerRecord;
    // every client re-sent its request to the restarted server
    expect(after.requests.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(after.messagesByType)).toEqual(['generate']);
    // back to streaming after the restart (loaded machines encode the new server's frames slowly)
    expect(Math.max(...cell.timeseries.slice(-3).map((p) => p.framesPerSec))).toBeGreaterThan(8 * 20 * 0.4);
  }, 120_000);

  it('a soak keeps every client requesting for the whole hold', async () => {
    const server = await startWsServer();
    servers.push(server);
    const out = tempDir('fb-foreign-soak-');
    const r = await runCli(
      [
        'soak',
        SCENARIO,
        '--target',
        server.url,
        '--peak',
        '6',
        '--multiplier',
        '1',
        '--duration',
        '5s',
        '--set',
        'rampUp=500ms',
        '--set',
        'framesPerRequest=10',
        '--set',
        'resolution=240p',
        '--out',
        out,
        '--cache-dir',
        TEST_CACHE_DIR,
        '--progress-interval',
        '1s',
      ],
      { timeoutMs: 90_000 },
    );
    expect([0, 1]).toContain(r.code);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    const cell = results.cells[0]!;
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    const rec = await server.record();
    const bySession = new Map<string, number[]>();
    for (const q of rec.requests) {
      const session = q.request_id.replace(/-\d+$/, '');
      bySession.set(session, [...(bySession.get(session) ?? []), q.receivedAt]);
    }
    expect(bySession.size).toBe(6);
    const first = Math.min(...rec.requests.map((q) => q.receivedAt));
    const holdStart = first + 500;
    const holdEnd = holdStart + 5000;
    for (const [session, times] of bySession) {
      const inHold = times.filter((t) => t >= holdStart && t <= holdEnd);
      // 10 frames at 30 fps: a request every ~0.35 s, so ≥ 10 in a 5 s hold
      expect(inHold.length, session).toBeGreaterThanOrEqual(10);
      expect(Math.max(...times), session).toBeGreaterThan(holdEnd - 1000);
    }
    expect(Object.keys(rec.messagesByType)).toEqual(['generate']);
  }, 120_000);
});
