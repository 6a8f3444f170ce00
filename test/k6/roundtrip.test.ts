// The exported script's logic, executed: a small k6 runtime in Node (test/k6/shim, on `ws`) runs
// the generated script against the real reference server, its NDJSON goes through bench import
// k6, and the result is checked for exact accounting and compared with a native run.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportK6Script } from '../../src/k6/export-script.js';
import { importK6 } from '../../src/k6/import-results.js';
import { writeResults } from '../../src/results/write.js';
import type { Results } from '../../src/results/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { ROOT, runCli, scenario, tempDir, TEST_CACHE_DIR } from '../helpers.js';
import { typecheckK6 } from './typecheck.js';

const loaded = scenario({
  name: 'k6-roundtrip',
  clients: 4,
  rampUp: '1s',
  warmup: '1s',
  duration: '3s',
  drainTimeout: '2s',
  fps: 20,
  format: 'jpeg',
  resolution: '240p',
  corpusFrames: 8,
  sweep: { framesPerRequest: [20, 'continuous'] },
  thresholds: { 'frame.p99': '< 500', 'counts.framesLost': '== 0' },
});

let server: EmbeddedServer;
beforeAll(async () => {
  server = await spawnEmbeddedServer({ cacheDir: TEST_CACHE_DIR, corpusFrames: 8, prewarm: [{ format: 'jpeg', width: 426, height: 240, quality: 75 }] });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

function k6Run(script: string, out: string, target: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test', 'k6', 'shim', 'k6-run.mjs'), script, '--out', out, '-e', `TARGET=${target}`, '-e', 'CLOCK_SYNC=1'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the k6 shim did not finish in time'));
    }, 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('exported script, run and imported', () => {
  let imported: Results;
  const dir = tempDir('fb-k6-roundtrip-');

  it('accounts for every frame of both cells (finite and continuous requests)', async () => {
    const script = join(dir, 'script.js');
    writeFileSync(script, exportK6Script(loaded.scenario, { flavour: '0.47' }).source);
    const out = join(dir, 'out.ndjson');
    expect(await k6Run(script, out, server.url)).toBe(0);
    ({ results: imported } = await importK6({ files: [out], scenario: loaded, command: 'test' }));
    // frame_loss (k6's lossRatio threshold): one false per received frame, one true per lost frame
    const loss = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"metric":"frame_loss","type":"Point"'));
    expect(loss.filter((l) => l.includes('"value":0,')).length).toBe(imported.cells.reduce((n, c) => n + c.counts.framesReceived, 0));
    expect(loss.filter((l) => l.includes('"value":1,')).length).toBe(imported.cells.reduce((n, c) => n + c.counts.framesLost, 0));
    expect(imported.cells.map((c) => c.id)).toEqual(['20', 'continuous']);
    for (const cell of imported.cells) {
      const c = cell.counts;
      expect(c.framesReceived).toBeGreaterThan(100);
      expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
      expect(c.framesLost).toBe(0);
      expect(c.requests).toBeGreaterThan(0);
      expect(c.requestsCompleted).toBe(c.requests);
      expect(c.connects).toBe(4);
      expect(cell.latencyMs.firstFrame.count).toBe(c.requests);
      expect(cell.latencyMs.frame.count).toBeGreaterThan(100);
      expect(cell.latencyMs.frame.p99).toBeLessThan(500);
      expect(cell.latencyMs.lateness.count).toBe(cell.latencyMs.frame.count);
      // every measured frame is shown once by the playback model: played time = frames × 1/fps
      expect(cell.playback?.playedMs).toBeCloseTo(c.framesReceived * 50, 6);
      expect(cell.playback?.startupMs.count).toBe(c.requests);
      expect(cell.playback?.displayLatency?.count).toBe(c.framesReceived);
      expect(cell.thresholds.every((t) => t.ok)).toBe(true);
      expect(cell.params.framesPerRequest).toBe(cell.id === '20' ? 20 : 'continuous');
    }
    // 4 clients × 20 fps over the 3 s measured window
    expect(imported.cells[1]!.throughput.framesPerSec).toBeGreaterThan(60);
    expect(imported.cells[1]!.throughput.framesPerSec).toBeLessThan(100);
    expect(imported.ok).toBe(true);
  }, 120_000);

  it('diffs against a native run of the same scenario, cell by cell', async () => {
    const native = await runScenario(loaded, { command: 'test', target: server.url, outDir: join(dir, 'native'), workers: 0 });
    await writeResults(join(dir, 'k6'), imported);
    for (const [i, cell] of native.results.cells.entries()) {
      const k6 = imported.cells[i]!;
      expect(k6.id).toBe(cell.id);
      expect(Math.abs(k6.throughput.framesPerSec - cell.throughput.framesPerSec)).toBeLessThan(0.25 * cell.throughput.framesPerSec);
    }
    const diff = await runCli(['diff', join(dir, 'native', 'results.json'), join(dir, 'k6', 'results.json'), '--all']);
    expect(diff.code).toBe(0);
    expect(diff.stdout + diff.stderr).not.toMatch(/added|removed/i);
    expect(diff.stdout).toContain('continuous');
  }, 120_000);
});

describe('exported script with a declarative protocol, against a foreign server', () => {
  const protocol = {
    request: { template: { type: 'generate', request_id: '${requestId}', prompt: '${prompt}', count: '${frames}', fps: '${fps}' }, requestId: 'string' },
    prompts: ['a red fox running through snow'],
    upgrade: { headers: {}, query: { token: 'abc' }, subprotocols: [] },
    frames: { binary: 'frame' },
    done: { match: { type: 'done' }, requestId: 'request_id', frames: 'frames_sent' },
    error: { match: { type: 'error' }, code: 'error.code', message: 'error.message', requestId: 'request_id' },
    ignore: [{ type: 'heartbeat' }],
    end: { idle: '5s' },
    correlation: 'single',
    cancel: { template: { type: 'cancel', request_id: '${requestId}' } },
    validate: 50,
  };

  it("speaks the server's protocol: frames by arrival order, heartbeats ignored, every frame accounted for, no frame latency without a timestamp", async () => {
    const foreign = spawn(process.execPath, [join(ROOT, 'test', 'k6', 'foreign-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        foreign.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
        foreign.once('exit', (code) => reject(new Error(`foreign server exited with ${code}`)));
      });
      // the protocol block as a scenario file writes it, parsed by the scenario schema
      const withProtocol = scenario({
        name: 'k6-foreign',
        clients: 3,
        rampUp: 0,
        warmup: '1s',
        duration: '3s',
        drainTimeout: '2s',
        fps: 20,
        framesPerRequest: 20,
        thresholds: { 'lateness.p99': '< 500', 'counts.framesLost': '== 0', 'gap.p99': '< 500' },
        protocol: {
          request: { template: protocol.request.template, requestId: 'string' },
          upgrade: { query: { token: 'abc' } },
          frames: { binary: 'frame' },
          done: protocol.done,
          error: protocol.error,
          ignore: protocol.ignore,
          cancel: protocol.cancel,
        },
      });
      const dir = tempDir('fb-k6-foreign-');
      const script = join(dir, 'script.js');
      writeFileSync(script, exportK6Script(withProtocol.scenario, { flavour: '1' }).source);
      const out = join(dir, 'out.ndjson');
      expect(await k6Run(script, out, `ws://127.0.0.1:${port}/stream`)).toBe(0);
      const { results } = await importK6({ files: [out], scenario: withProtocol, command: 'test' });
      const cell = results.cells[0]!;
      const c = cell.counts;
      expect(c.errors).toBe(0);
      expect(c.framesReceived).toBeGreaterThan(100);
      expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
      expect(c.framesLost).toBe(0);
      expect(c.requestsCompleted).toBe(c.requests);
      expect(c.connects).toBe(3);
      expect(cell.latencyMs.frame.count).toBe(0);
      expect(cell.playback?.displayLatency).toBeUndefined();
      expect(cell.latencyMs.gap?.count).toBeGreaterThan(100);
      expect(cell.latencyMs.timeToDone?.count).toBe(c.requestsCompleted);
      expect(cell.latencyMs.lateness.count).toBeGreaterThan(100);
      expect(cell.latencyMs.firstFrame.count).toBe(c.requests);
      expect(cell.throughput.bytesPerFrame).toBe(4013);
      expect(cell.thresholds.every((t) => t.ok)).toBe(true);
    } finally {
      foreign.kill();
    }
  }, 120_000);

  it('type-checks, and refuses module adapters with the way out', () => {
    const s = scenario({}).scenario;
    for (const flavour of ['1', '0.47'] as const) {
      const r = typecheckK6(exportK6Script({ ...s, protocol } as typeof s, { flavour }).source, flavour);
      expect(r.output).toBe('');
    }
    expect(() => exportK6Script({ ...s, protocol: { module: './x.mjs', options: {} } } as typeof s, { flavour: '1' })).toThrow(/custom Node code.*declaratively/);
    expect(exportK6Script({ ...s, protocol: 'reference' } as typeof s, { flavour: '1' }).source).toContain('const PROTOCOL = null;');
    // no server timestamp: k6 would pass frame latency thresholds on an empty trend, so they are left to the import
    const t = exportK6Script({ ...s, protocol, thresholds: { 'frame.p99': '< 100', 'lateness.p99': '< 100' } } as typeof s, { flavour: '1' }).thresholds;
    expect(t.untranslated.map((u) => u.expr)).toEqual(['frame.p99 < 100']);
    expect(t.thresholds['frame_lateness{cell:default}']).toEqual(['p(99)<100']);
  }, 60_000);
});

describe('exported script with stages', () => {
  it('ramping down, VUs leave between requests: no stream is cut, every frame is accounted for', async () => {
    const s = scenario({
      name: 'k6-stages',
      stages: [
        { duration: '2s', target: 4 },
        { duration: '2s', target: 4 },
        { duration: '6s', target: 0 },
      ],
      framesPerRequest: 'continuous',
      fps: 20,
      drainTimeout: '1s',
      format: 'jpeg',
      resolution: '240p',
      corpusFrames: 8,
    });
    const dir = tempDir('fb-k6-stages-');
    const script = join(dir, 'script.js');
    writeFileSync(script, exportK6Script(s.scenario, { flavour: '1' }).source);
    const out = join(dir, 'out.ndjson');
    expect(await k6Run(script, out, server.url)).toBe(0);
    const { results } = await importK6({ files: [out], scenario: s, command: 'test' });
    const c = results.cells[0]!.counts;
    expect(c.requests).toBeGreaterThan(8);
    expect(c.requestsCompleted).toBe(c.requests);
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
    expect(c.framesLost).toBe(0);
    expect(c.framesReceived).toBeGreaterThan(300);
    expect(Math.max(...results.cells[0]!.timeseries.map((p) => p.connections))).toBe(4);
  }, 120_000);
});
