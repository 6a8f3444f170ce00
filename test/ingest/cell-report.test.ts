// An upload cell from its collector to results, thresholds and the report's Ingest section,
// without sockets: the collector is fed as the cameras would feed it.
import { describe, expect, it } from 'vitest';
import { UploadCollector } from '../../src/ingest/upload-collector.js';
import { RESULTS_SCHEMA, type Results } from '../../src/results/types.js';
import { describeThreshold, evaluateThresholds, parseThresholds } from '../../src/metrics/thresholds.js';
import { cellFailures } from '../../src/metrics/cell-verdict.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { toIngestCellResult } from '../../src/runner/ingest-cell.js';
import { scenario } from '../helpers.js';
import { planCells } from '../../src/scenario/sweep.js';

function cell(feed: (c: UploadCollector) => void) {
  const plan = planCells(scenario({ direction: 'upload', clients: 2, fps: 1, dispatchInterval: '2s' }).scenario)[0]!;
  const c = new UploadCollector();
  c.startMeasuring();
  c.connected(3);
  c.connected(4);
  feed(c);
  c.stopMeasuring(2);
  const settings = { fps: 1, transport: 'base64-json', format: 'jpeg', resolution: '480p', dispatchIntervalMs: 2000, batchSize: 8, apiRateLimit: 0, bufferFrames: 32, contextChars: 2000, maxFps: 10 };
  return toIngestCellResult({ plan, snap: c.snapshot(), settings, budgetBytesPerSec: 150_000, startedAt: new Date(0), endedAt: new Date(1000) });
}

describe('upload cell results', () => {
  it('maps accounting onto the download counts and answers ingest.* thresholds', () => {
    const r = cell((c) => {
      for (let i = 0; i < 10; i++) c.frameDue(), c.frameSent(i, 100_000);
      for (let i = 0; i < 7; i++) c.frameCovered(1000 + i * 100);
      c.answer({ batchSize: 7, contextChars: 120, modelMs: 300 });
      c.frameDropped('buffer_overflow');
      c.frameDropped('rate_limited');
      c.framesLost(1);
      c.serverError('rate_limited');
    });
    const g = r.ingest!;
    expect(g.accounting).toMatchObject({ sent: 10, covered: 7, dropped: 2, lost: 1, balanced: true });
    expect(r.counts).toMatchObject({ framesExpected: 10, framesReceived: 7, framesLost: 3 });
    expect(r.latencyMs.frame.count).toBe(7);
    expect(cellFailures(r)).toEqual([]);
    const specs = parseThresholds({ 'ingest.dropRatio': '< 0.1', 'ingest.answerLag.p99': '< 2000', 'ingest.rateLimited': '== 1', 'ingest.api429': '== 0', 'ingest.batchSize.max': '<= 8' });
    const results = evaluateThresholds(specs, r);
    expect(results.map((t) => [t.expr, t.ok, t.value])).toEqual([
      ['ingest.dropRatio < 0.1', false, 0.2],
      ['ingest.answerLag.p99 < 2000', true, g.latencyMs.answerLag.p99],
      ['ingest.rateLimited == 1', true, 1],
      // no server stats (a target without them): not measured, so it fails
      ['ingest.api429 == 0', false, null],
      ['ingest.batchSize.max <= 8', true, 7],
    ]);
    expect(results[3]).toMatchObject({ status: 'not_measured', reason: '0 model calls seen in the server stats' });
    expect(describeThreshold(results[3]!)).toMatch(/ingest\.api429 == 0: not measured/);
  });

  it('a cell with frames sent and no answer fails closed with its reason', () => {
    const r = cell((c) => {
      for (let i = 0; i < 4; i++) c.frameDue(), c.frameSent(0, 1000);
      c.framesLost(4);
    });
    expect(cellFailures(r)).toEqual([{ kind: 'no_answers', reason: expect.stringMatching(/^4 frames sent but no answer came back \(0 dropped by the server, 4 lost\)/) }]);
    expect(evaluateThresholds(parseThresholds({ 'ingest.answerLag.p99': '< 1000' }), r)[0]).toMatchObject({ ok: false, value: null, status: 'not_measured', reason: '0 frames answered for' });
  });

  it('the report has an Ingest section with the accounting and a timeline', () => {
    const r = cell((c) => {
      c.frameDue(), c.frameSent(0, 1000);
      c.frameCovered(500);
      c.answer({ batchSize: 1 });
      c.tick(2);
    });
    const results: Results = {
      schema: RESULTS_SCHEMA,
      tool: { name: 'framebench', version: 't' },
      runId: 'r',
      command: 'run',
      startedAt: new Date(0).toISOString(),
      endedAt: new Date(1000).toISOString(),
      scenario: {},
      environment: { node: 'v20', os: 'linux', cpus: 2, cpuModel: 'x', target: 'embedded', embeddedServer: true },
      cells: [r],
      ok: true,
    };
    const page = renderHtmlReport(results);
    expect(page).toContain('id="ingest"');
    expect(page).toContain('href="#ingest"');
    expect(page).toContain('answer lag and server buffer');
    expect(page).toMatch(/answered for/);
  });
});
