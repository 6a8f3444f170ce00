// Upgrade headers, query parameters and subprotocols from `protocol.upgrade`, against a Node `ws`
// server that refuses an upgrade without its bearer token (401), its query parameter or its
// subprotocol (400): with all three the run measures the server; without any one of them it fails
// closed at connect (exit 3, the server's answer named) and the server saw no request.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { startWsServer, type ForeignServer, type ServerRecord } from '../foreign-servers.js';
import { ROOT, TEST_CACHE_DIR, runCli, tempDir } from '../helpers.js';

const TOKEN = 'tk-7f3a9c';
const BASE = readFileSync(join(ROOT, 'scenarios', 'protocols', 'binary-then-json-done.yaml'), 'utf8');
type Rec = ServerRecord & { refusedUpgrades: Array<{ code: number; why: string }>; subprotocols: string[] };

let server: ForeignServer;
beforeAll(async () => {
  server = await startWsServer('--token', TOKEN, '--require-query', 'model=fast', '--subprotocol', 'frames.v1');
});
afterAll(async () => {
  await server.stop();
});

function scenarioWith(dir: string, upgrade: string): string {
  const file = join(dir, 'upgrade.yaml');
  writeFileSync(file, BASE.replace('protocol:\n', `protocol:\n  upgrade: ${upgrade}\n`));
  return file;
}

async function run(upgrade: string) {
  const dir = tempDir('fb-foreign-upgrade-');
  const out = join(dir, 'out');
  const sets = ['clients=3', 'rampUp=300ms', 'warmup=500ms', 'duration=2s', 'framesPerRequest=10', 'fps=30'];
  const r = await runCli(['run', scenarioWith(dir, upgrade), '--target', server.url, '--out', out, '--cache-dir', TEST_CACHE_DIR, '--quiet', '--workers', '0', ...sets.flatMap((s) => ['--set', s])], { timeoutMs: 90_000 });
  return { ...r, out };
}

describe('protocol.upgrade: headers, query parameters and subprotocols', () => {
  it('with the token, the query parameter and the subprotocol every client connects and is measured', async () => {
    const before = (await server.record<Rec>()).requests.length;
    const r = await run(`{ headers: { Authorization: "Bearer ${TOKEN}" }, query: { model: fast }, subprotocols: [frames.v1] }`);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const rec = await server.record<Rec>();
    expect(rec.refusedUpgrades).toEqual([]);
    // the preflight and the 3 clients, each on the subprotocol the server picked
    expect(rec.subprotocols.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rec.subprotocols)).toEqual(new Set(['frames.v1']));
    const cell = (JSON.parse(readFileSync(join(r.out, 'results.json'), 'utf8')) as Results).cells[0]!;
    expect(cell.counts.framesReceived).toBeGreaterThan(0);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.counts.requestsCompleted).toBeLessThanOrEqual(rec.requests.length - before);
    expect(cell.counts.errors).toBe(0);
    // the bearer token is not written to the results or the report
    for (const f of ['results.json', 'report.html', 'summary.md']) expect(readFileSync(join(r.out, f), 'utf8')).not.toContain(TOKEN);
  }, 120_000);

  const cases: Array<[string, string, number, RegExp]> = [
    ['without the token', `{ query: { model: fast }, subprotocols: [frames.v1] }`, 401, /HTTP 401 instead of upgrading \(check the token\)/],
    ['with a wrong token', `{ headers: { Authorization: "Bearer nope" }, query: { model: fast }, subprotocols: [frames.v1] }`, 401, /HTTP 401/],
    ['without the query parameter', `{ headers: { Authorization: "Bearer ${TOKEN}" }, subprotocols: [frames.v1] }`, 400, /HTTP 400/],
    ['without the subprotocol', `{ headers: { Authorization: "Bearer ${TOKEN}" }, query: { model: fast } }`, 400, /HTTP 400/],
  ];
  for (const [name, upgrade, status, message] of cases) {
    it(`${name} the run fails closed at connect (exit 3) and sends no request`, async () => {
      const before = await server.record<Rec>();
      const r = await run(upgrade);
      expect(r.code, r.stderr + r.stdout).toBe(3);
      expect(r.stderr).toMatch(message);
      const rec = await server.record<Rec>();
      expect(rec.refusedUpgrades.length).toBeGreaterThan(before.refusedUpgrades.length);
      expect(rec.refusedUpgrades.at(-1)!.code).toBe(status);
      expect(rec.requests.length).toBe(before.requests.length);
    }, 120_000);
  }
});
