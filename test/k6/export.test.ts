// bench export k6: executors, thresholds and the generated script, type-checked against @types/k6.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportK6Script } from '../../src/k6/export-script.js';
import { planK6 } from '../../src/k6/export-plan.js';
import { translateThresholds } from '../../src/k6/thresholds.js';
import { parseThresholds } from '../../src/metrics/thresholds.js';
import { loadScenario } from '../../src/scenario/load.js';
import { planCells } from '../../src/scenario/sweep.js';
import { ROOT, runCli, scenario, tempDir } from '../helpers.js';
import { typecheckK6 } from './typecheck.js';

const sweepScenario = scenario({
  name: 'k6 sweep',
  target: 'ws://127.0.0.1:9/',
  clients: 20,
  rampUp: '2s',
  warmup: '1s',
  duration: '10s',
  drainTimeout: '3s',
  fps: 0.5,
  sweep: { format: ['webp', 'jpeg'], fps: [0.5, 30] },
  repeat: 2,
  thresholds: [
    { metric: 'frame.p99', check: '< 150' },
    { metric: 'playback.stallRatio', check: '< 0.01', where: { format: 'webp' } },
    { metric: 'counts.framesLost', check: '== 0' },
    { metric: 'counts.lossRatio', check: '< 0.001' },
    { metric: 'frame.count', check: '> 100' },
  ],
}).scenario;

describe('k6 executors', () => {
  it('maps rampUp + warmup + duration to ramping-vus, one k6 scenario per cell and repeat, in sequence', () => {
    const plan = planK6(sweepScenario);
    const names = Object.keys(plan.scenarios);
    expect(names).toHaveLength(8);
    expect(names.every((n) => /^[0-9A-Za-z_-]+$/.test(n))).toBe(true);
    const first = plan.scenarios[names[0]!]!;
    expect(first).toMatchObject({ executor: 'ramping-vus', startVUs: 0, startTime: '0s', gracefulStop: '5s', exec: 'stream' });
    expect(first.executor === 'ramping-vus' && first.stages).toEqual([
      { duration: '2s', target: 20 },
      { duration: '11s', target: 20 },
    ]);
    // 13 s of load + 3 s drain + 2 s margin + 1 s gap
    expect(plan.scenarios[names[1]!]!.startTime).toBe('19s');
    expect(plan.scenarios[names[1]!]!.tags).toEqual({ cell: 'webp-0.5fps', repeat: '1' });
    const cell = plan.cells[names[0]!]!;
    expect(cell).toMatchObject({ id: 'webp-0.5fps', measureFromMs: 3000, measureToMs: 13000, drainMs: 3000, fps: 0.5, frames: 30, bufferDepth: 5 });
  });

  it('uses constant-vus without a ramp and ramping-vus stages for soaks', () => {
    const constant = planK6(scenario({ clients: 7, rampUp: 0, warmup: '500ms', duration: '2s' }).scenario);
    expect(Object.values(constant.scenarios)[0]).toMatchObject({ executor: 'constant-vus', vus: 7, duration: '2500ms' });
    const soak = planK6(
      scenario({
        stages: [
          { duration: '1m', target: 100 },
          { duration: '10m', target: 100 },
          { duration: '30s', target: 0 },
        ],
        framesPerRequest: 'continuous',
      }).scenario,
    );
    const s = Object.values(soak.scenarios)[0]!;
    expect(s.executor === 'ramping-vus' && s.stages).toEqual([
      { duration: '60s', target: 100 },
      { duration: '600s', target: 100 },
      { duration: '30s', target: 0 },
    ]);
    expect(Object.values(soak.cells)[0]).toMatchObject({ measureFromMs: 0, measureToMs: 690_000, frames: 0 });
  });
});

describe('k6 thresholds', () => {
  it('translates per cell, honours where, guards every cell against measuring nothing, and lists what k6 cannot check', () => {
    const t = translateThresholds(parseThresholds(sweepScenario.thresholds), planCells(sweepScenario));
    expect(t.thresholds['frames_received{cell:webp-0.5fps}']).toEqual(['count>0']);
    expect(t.thresholds['frame_latency{cell:jpeg-30fps}']).toEqual(['p(99)<150']);
    expect(t.thresholds['playback_stall_ratio{cell:webp-30fps}']).toEqual(['rate<0.01']);
    expect(t.thresholds['playback_stall_ratio{cell:jpeg-30fps}']).toBeUndefined();
    expect(t.thresholds['frames_lost{cell:jpeg-0.5fps}']).toEqual(['count==0']);
    expect(t.thresholds['frame_loss{cell:webp-30fps}']).toEqual(['rate<0.001']);
    expect(t.untranslated.map((u) => u.expr)).toEqual(['frame.count > 100']);
  });

  it('maps every latency statistic to its k6 aggregation', () => {
    const plans = planCells(scenario({}).scenario);
    const t = translateThresholds(parseThresholds({ 'frame.p50': '< 1', 'lateness.p999': '<= 2', 'connect.mean': '< 3', 'firstFrame.max': '< 4', 'playback.startupMs.p95': '< 5', 'playback.stalls': '== 0', 'frame.min': '>= 0' }), plans);
    expect(t.thresholds).toEqual({
      'frames_received{cell:default}': ['count>0'],
      'frame_latency{cell:default}': ['med<1', 'min>=0'],
      'frame_lateness{cell:default}': ['p(99.9)<=2'],
      'ws_connecting{cell:default}': ['avg<3'],
      'time_to_first_frame{cell:default}': ['max<4'],
      'playback_startup{cell:default}': ['p(95)<5'],
      'playback_stalls{cell:default}': ['count==0'],
    });
  });
});

describe('generated script', () => {
  for (const flavour of ['1', '0.47'] as const) {
    it(`type-checks against @types/k6 for --k6 ${flavour} (sweep, soak and the shipped scenarios)`, async () => {
      const scripts = [exportK6Script(sweepScenario, { flavour }).source];
      scripts.push(exportK6Script(scenario({ stages: [{ duration: '10s', target: 5 }], framesPerRequest: 'continuous', transport: 'base64-json' }).scenario, { flavour }).source);
      for (const f of ['quick.yaml', 'ci.yaml', 'soak.yaml', 'chaos.yaml', 'protocols/binary-then-json-done.yaml', 'protocols/base64-json-frames.yaml', 'protocols/meta-then-binary.yaml'])
        scripts.push(exportK6Script((await loadScenario(join(ROOT, 'scenarios', f))).scenario, { flavour, file: f }).source);
      const r = typecheckK6(scripts, flavour);
      expect(r.output).toBe('');
      expect(r.ok).toBe(true);
    }, 120_000);
  }

  it("uses no syntax newer than ES2017 (what k6 v0.47's goja runs without its Babel step)", () => {
    for (const flavour of ['1', '0.47'] as const) {
      const code = exportK6Script(sweepScenario, { flavour })
        .source.replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const token of ['?.', '??', '...', 'async ', 'await ', '**', 'class Playback extends']) expect(code).not.toContain(token);
    }
  });

  it('fails the type check when the flavour does not match the k6 version (the check is real)', () => {
    const source = exportK6Script(sweepScenario, { flavour: '1' }).source;
    const r = typecheckK6(source, '0.47');
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/k6\/websockets|binaryType/);
  });

  it("imports only what the flavour has, and takes the target from -e TARGET with the scenario's as default", () => {
    const v047 = exportK6Script(sweepScenario, { flavour: '0.47' }).source;
    expect(v047).toContain("from 'k6/experimental/websockets'");
    expect(v047).not.toContain('ws.binaryType =');
    const v1 = exportK6Script(sweepScenario, { flavour: '1' }).source;
    expect(v1).toContain("from 'k6/websockets'");
    expect(v1).toContain('ws.binaryType =');
    expect(v1).toContain('const DEFAULT_TARGET = "ws://127.0.0.1:9/";');
    expect(v1).toContain('__ENV.TARGET || DEFAULT_TARGET');
  });
});

describe('what the export refuses', () => {
  it('refuses upload scenarios with the reason', () => {
    const s = scenario({}).scenario;
    expect(() => exportK6Script({ ...s, direction: 'upload' } as typeof s, { flavour: '1' })).toThrow(/direction: upload.*not supported in export/);
  });
});

describe('bench export k6 (CLI)', () => {
  it('writes the script, names what k6 cannot check, and rejects a bad flavour', async () => {
    const out = join(tempDir(), 'quick.js');
    const r = await runCli(['export', 'k6', 'scenarios/quick.yaml', '-o', out, '--target', 'ws://127.0.0.1:8080/']);
    expect(r.stderr).toContain('4 cells');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('const DEFAULT_TARGET = "ws://127.0.0.1:8080/";');
    const bad = await runCli(['export', 'k6', 'scenarios/quick.yaml', '-o', out, '--k6', '0.30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/0\.47.*1/);
  });
});
