// The metric catalogue is the one list thresholds, report columns, threshold views and diff read.
import { describe, expect, it } from 'vitest';
import { DIFF_METRICS } from '../../src/diff/metrics.js';
import { DIFF_VIEWS, metricDef, metricError, metricValue, REPORT_COLUMNS, STATS } from '../../src/metrics/catalogue.js';
import { parseThresholds } from '../../src/metrics/thresholds.js';
import { METRIC_COLUMNS } from '../../src/report/html/columns.js';
import { thresholdView } from '../../src/report/html/threshold-match.js';
import { cellForeign } from '../fixtures/results-empty.js';
import { cellWebp480 } from '../fixtures/results-small.js';

describe('metric catalogue', () => {
  it('every report column and diff metric is a catalogue metric with its unit and direction', () => {
    for (const [path] of [...REPORT_COLUMNS, ...DIFF_VIEWS]) expect(metricDef(path), path).toBeDefined();
    expect(METRIC_COLUMNS.map((c) => c.path)).toEqual(REPORT_COLUMNS.map(([p]) => p));
    for (const m of DIFF_METRICS) expect([m.unit, m.better, m.label]).toEqual([metricDef(m.key)!.unit, metricDef(m.key)!.better, metricDef(m.key)!.label]);
    expect(metricDef('throughput.framesPerSec')).toMatchObject({ unit: 'fps', better: 'higher', label: 'frames/s' });
    expect(metricDef('frame.p999')).toMatchObject({ unit: 'ms', better: 'lower', label: 'frame latency p99.9' });
  });

  it('the threshold grammar is the catalogue: each summary with every statistic, each scalar', () => {
    for (const stat of STATS) expect(metricError(`timeToDone.${stat}`)).toBeUndefined();
    expect(metricError('ingest.answerLag.p99')).toBeUndefined();
    expect(metricError('chaos.recoverSec.p99')).toBeUndefined();
    expect(metricError('frame.p98')).toContain('frame.<count|min|mean|p50|p90|p95|p99|p999|max>');
    expect(parseThresholds({ 'streams.deliveredFps.p50': '> 20' })[0]).toMatchObject({ metric: 'streams.deliveredFps.p50', op: '>', bound: 20 });
  });

  it('reads values from a cell; frame latency without samples is absent, not 0', () => {
    expect(metricValue(cellWebp480, 'frame.p99')).toBe(cellWebp480.latencyMs.frame.p99);
    expect(cellForeign.latencyMs.frame.count).toBe(0);
    expect(metricValue(cellForeign, 'frame.p99')).toBeNull();
    expect(metricValue(cellForeign, 'frame.count')).toBe(0);
    expect(metricValue(cellWebp480, 'ingest.answerLag.p99')).toBeNull();
  });

  it('threshold views take unit and column from the catalogue by the stored metric', () => {
    expect(thresholdView({ expr: '', metric: 'throughput.bytesPerSec', op: '>', bound: 1e6 })).toMatchObject({ unit: 'Bps', columnKey: 'mbps' });
    expect(thresholdView({ expr: '', metric: 'counts.framesExpected', op: '>', bound: 0 })).toMatchObject({ unit: 'count' });
    expect(thresholdView({ expr: '', metric: 'counts.framesExpected', op: '>', bound: 0 })?.columnKey).toBeUndefined();
    expect(thresholdView({ expr: 'drift.frame.p99 < 20%', metric: 'drift.frame.p99', op: '<', bound: 20 })).toBeUndefined();
  });
});
