// bench import k6 on real k6 v0.47 output (two runners of one test): counts and percentiles
// against k6's own end-of-test summaries, exact merging of the runners, report and diff on it.
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importK6 } from '../../src/k6/import-results.js';
import { decodeHistogram } from '../../src/metrics/hdr.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'k6');
const RUNNERS = [join(FIXTURES, 'runner1.ndjson'), join(FIXTURES, 'runner2.ndjson')];

interface Summary {
  metrics: Record<string, Record<string, number>>;
}
const summary = (i: number): Summary => JSON.parse(readFileSync(join(FIXTURES, `summary-runner${i}.json`), 'utf8')) as Summary;

/** Every value of one metric in a k6 NDJSON file, read independently of the importer. */
function samples(file: string, metric: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const rec = JSON.parse(line) as { type: string; metric: string; data: { value: number } };
    if (rec.type === 'Point' && rec.metric === metric) out.push(rec.data.value);
  }
  return out;
}

/** k6's Trend percentile: linear interpolation between the sorted samples around p × (n − 1). */
function k6Percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const i = p * (v.length - 1);
  const lo = v[Math.floor(i)] as number;
  const hi = v[Math.ceil(i)] as number;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** HDR keeps 3 significant digits (0.1 %); k6 interpolates between neighbours, nearest-rank does not. */
function closeTo(ours: number, k6: number, values: number[], p: number): void {
  const v = [...values].sort((a, b) => a - b);
  const i = p * (v.length - 1);
  const gap = (v[Math.ceil(i)] as number) - (v[Math.floor(i)] as number);
  expect(Math.abs(ours - k6)).toBeLessThanOrEqual(0.002 * Math.abs(k6) + gap + 0.002);
}

describe('bench import k6 (k6 v0.47 fixtures)', () => {
  for (const i of [1, 2]) {
    it(`runner ${i}: counts and percentiles agree with k6's end-of-test summary`, async () => {
      const file = RUNNERS[i - 1] as string;
      const s = summary(i).metrics;
      const latency = samples(file, 'frame_latency');
      // The fixture is read the way k6 read it: same samples, same percentiles.
      expect(latency.length).toBe(s.frames?.count);
      for (const [key, p] of [
        ['med', 0.5],
        ['p(90)', 0.9],
        ['p(95)', 0.95],
      ] as const)
        expect(k6Percentile(latency, p)).toBeCloseTo(s.frame_latency?.[key] as number, 9);

      const { results } = await importK6({ files: [file], command: 'test' });
      expect(results.cells).toHaveLength(1);
      const cell = results.cells[0]!;
      expect(cell.id).toBe('stream');
      expect(cell.counts.framesReceived).toBe(s.frames?.count);
      expect(cell.latencyMs.frame.count).toBe(s.frames?.count);
      expect(cell.counts.connects).toBe(s.ws_sessions?.count);
      expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
      closeTo(cell.latencyMs.frame.p50, s.frame_latency?.med as number, latency, 0.5);
      closeTo(cell.latencyMs.frame.p90, s.frame_latency?.['p(90)'] as number, latency, 0.9);
      closeTo(cell.latencyMs.frame.p95, s.frame_latency?.['p(95)'] as number, latency, 0.95);
      expect(cell.latencyMs.frame.max).toBeCloseTo(s.frame_latency?.max as number, 2);
      const connecting = samples(file, 'ws_connecting');
      closeTo(cell.latencyMs.connect.p90, s.ws_connecting?.['p(90)'] as number, connecting, 0.9);
      expect(cell.latencyMs.connect.mean).toBeCloseTo(s.ws_connecting?.avg as number, 2);
      // 10 VUs of the runner, frames in a 6 s window at 10 fps each
      expect(cell.params.clients).toBe(10);
      expect(cell.timeseries.reduce((n, p) => n + p.framesPerSec * (p.durationSec ?? 1), 0)).toBe(s.frames?.count);
      expect(cell.events.map((e) => e.detail).join('\n')).toMatch(/no frame accounting/);
    });
  }

  it('merges the two runners exactly: counts add up, percentiles are those of all samples (not averages)', async () => {
    const { results } = await importK6({ files: RUNNERS, command: 'test', durationSec: 6 });
    const cell = results.cells[0]!;
    const all = RUNNERS.flatMap((f) => samples(f, 'frame_latency'));
    expect(cell.counts.framesReceived).toBe((summary(1).metrics.frames?.count ?? 0) + (summary(2).metrics.frames?.count ?? 0));
    expect(cell.counts.connects).toBe(20);
    expect(cell.params.clients).toBe(20);
    expect(cell.throughput.framesPerSec).toBe(200);
    const h = decodeHistogram(cell.latencyMs.frame.hdr);
    expect(h.totalCount).toBe(all.length);
    h.destroy();
    closeTo(cell.latencyMs.frame.p95, k6Percentile(all, 0.95), all, 0.95);
    closeTo(cell.latencyMs.frame.p50, k6Percentile(all, 0.5), all, 0.5);
    // windows line up on wall-clock seconds across runners and hold every frame once
    expect(cell.timeseries.reduce((n, p) => n + p.framesPerSec, 0)).toBe(all.length);
    expect(Math.max(...cell.timeseries.map((p) => p.connections))).toBe(20);
  });

  it('CLI: writes results, report and summary; bench report and bench diff work on them; reads .gz', async () => {
    const dir = tempDir('fb-k6-import-');
    const gz = join(dir, 'runner2.ndjson.gz');
    await pipeline(createReadStream(RUNNERS[1] as string), createGzip(), createWriteStream(gz));
    const a = await runCli(['import', 'k6', RUNNERS[0] as string, '-o', join(dir, 'a')]);
    expect(a.stderr).toContain('no frame accounting');
    // fail closed: a hand-written script that does not account requests cannot pass
    expect(a.stdout).toContain('no request accounting');
    expect(a.code).toBe(1);
    const b = await runCli(['import', 'k6', gz, '-o', join(dir, 'b')]);
    expect(b.code).toBe(1);
    const doc = JSON.parse(readFileSync(join(dir, 'b', 'results.json'), 'utf8')) as { schema: string; imported: { engine: string } };
    expect(doc.schema).toBe('framebench/results@1');
    expect(doc.imported.engine).toBe('k6');
    expect(readFileSync(join(dir, 'a', 'report.html'), 'utf8')).toContain('stream');
    const report = await runCli(['report', join(dir, 'a', 'results.json'), '-o', join(dir, 'again.html')]);
    expect(report.code).toBe(0);
    const diff = await runCli(['diff', join(dir, 'a', 'results.json'), join(dir, 'b', 'results.json')]);
    expect(diff.stderr + diff.stdout).toMatch(/stream/);
    expect(diff.code).toBe(0);
  }, 120_000);

  it('fails closed: with a scenario whose cells the output lacks, those cells measured nothing and fail', async () => {
    const { results, unmatched } = await importK6({ files: [RUNNERS[0] as string], scenario: await loadScenario(join(ROOT, 'scenarios', 'quick.yaml')), command: 'test' });
    expect(unmatched).toEqual(['stream']);
    expect(results.ok).toBe(false);
    expect(results.cells.map((c) => c.id)).toEqual(['webp-buf1', 'webp-buf5', 'jpeg-buf1', 'jpeg-buf5', 'stream']);
    const empty = results.cells[0]!;
    expect(empty.ok).toBe(false);
    expect(empty.thresholds.find((t) => t.expr === 'frame.p99 < 150')).toMatchObject({ ok: false, value: null, status: 'not_measured' });
    expect(empty.failures?.map((f) => f.kind)).toContain('no_frames');
    const stream = results.cells[4]!;
    expect(stream.thresholds.find((t) => t.expr === 'frame.p99 < 150')).toMatchObject({ ok: true, status: 'pass' });
    // the hand-written fixture script has no time_to_first_frame and no request accounting
    expect(stream.thresholds.find((t) => t.expr === 'firstFrame.p95 < 500')).toMatchObject({ ok: false, value: null, status: 'not_measured' });
  });

  it('groups samples by the cell and repeat tags of an exported script; repeats aggregate into one cell', async () => {
    const dir = tempDir('fb-k6-repeats-');
    const file = join(dir, 'out.ndjson');
    const lines: string[] = [];
    const point = (metric: string, t: number, value: number, tags: Record<string, string>): void => {
      lines.push(JSON.stringify({ metric, type: 'Point', data: { time: new Date(Date.UTC(2026, 11, 1, 20, 0, 0) + t).toISOString(), value, tags: { group: '', ...tags } } }));
    };
    for (const [repeat, offset] of [
      ['0', 0],
      ['1', 20_000],
    ] as const) {
      const tags = { scenario: `c0${repeat}_webp`, cell: 'webp', ...(repeat === '1' ? { repeat } : {}) };
      for (let i = 0; i < 100; i++) {
        point('frame_latency', offset + i * 30, 2 + (i % 10), tags);
        point('frame_bytes', offset + i * 30, 1000, tags);
      }
      for (const [m, v] of [
        ['frames_expected', 100],
        ['frames_received', 98],
        ['frames_lost', 2],
        ['requests', 1],
        ['requests_completed', 1],
      ] as const)
        point(m, offset + 3000, v, tags);
      point('errors', offset + 3000, 1, { ...tags, kind: 'server_busy' });
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { results } = await importK6({ files: [file], command: 'test', durationSec: 3 });
    expect(results.cells).toHaveLength(1);
    const cell = results.cells[0]!;
    expect(cell.repeats).toHaveLength(2);
    expect(cell.counts).toMatchObject({ framesExpected: 200, framesReceived: 196, framesLost: 4, requests: 2, errors: 2, lossRatio: 0.02 });
    expect(cell.errorsByKind).toEqual({ server_busy: 2 });
    expect(cell.latencyMs.frame.count).toBe(200);
    expect(cell.repeats?.map((r) => r.throughput.bytesPerFrame)).toEqual([1000, 1000]);
    expect(cell.events.some((e) => e.kind === 'import-note')).toBe(false);
  });

  it('rejects what is not k6 output with the file, the line and the fix', async () => {
    const dir = tempDir('fb-k6-bad-');
    const long = join(dir, 'long.ndjson');
    writeFileSync(
      long,
      `${readFileSync(RUNNERS[0] as string, 'utf8')
        .split('\n')
        .slice(0, 3)
        .join('\n')}\n{"type":"Point","metric":"x","data":{"tags":{"t":"${'a'.repeat(5000)}"}}}\n`,
    );
    const r = await runCli(['import', 'k6', long, '--max-line-bytes', '4096', '-o', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${long}:4: line longer than 4096 bytes`);
    const notJson = join(dir, 'text.ndjson');
    writeFileSync(notJson, '{"type":"Metric","data":{},"metric":"frames"}\nhello\n');
    const j = await runCli(['import', 'k6', notJson, '-o', join(dir, 'out')]);
    expect(j.code).toBe(2);
    expect(j.stderr).toContain(`${notJson}:2: not JSON`);
    const empty = join(dir, 'empty.ndjson');
    writeFileSync(empty, '{"hello":1}\n');
    const e = await runCli(['import', 'k6', empty, '-o', join(dir, 'out')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('no k6 Metric or Point lines');
  }, 60_000);
});
