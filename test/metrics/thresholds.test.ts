import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import type { ThresholdResult } from '../../src/results/types.js';
import { ThresholdSyntaxError, evaluateThresholds, formatNumber, metricValue, parseThresholds } from '../../src/metrics/thresholds.js';
import { cellWebp480, cellJpeg720 } from '../fixtures/results-small.js';
import { cellForeign } from '../fixtures/results-empty.js';
import { describeThreshold, thresholdFailed, thresholdStatus } from '../../src/metrics/thresholds.js';

function syntaxError(raw: unknown): ThresholdSyntaxError {
  try {
    parseThresholds(raw);
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a ThresholdSyntaxError');
}

describe('parseThresholds', () => {
  it('parses the map form, including lists of checks', () => {
    const specs = parseThresholds({ 'frame.p99': '< 150', 'counts.framesLost': '==0', 'playback.stallRatio': ['<= 0.01', '>= 0'] });
    expect(specs.map((s) => s.expr)).toEqual(['frame.p99 < 150', 'counts.framesLost == 0', 'playback.stallRatio <= 0.01', 'playback.stallRatio >= 0']);
    expect(specs[0]).toEqual({ metric: 'frame.p99', op: '<', bound: 150, expr: 'frame.p99 < 150' });
  });

  it('parses the list form with where filters', () => {
    const specs = parseThresholds([
      { metric: 'frame.p99', check: '< 150', where: { format: 'webp', resolution: ['480p', '720p'] } },
      { metric: 'playback.startupMs.p95', check: '< 1e3' },
      { metric: 'throughput.framesPerSec', check: '>= 29.5' },
    ]);
    expect(specs[0]!.where).toEqual({ format: ['webp'], resolution: ['480p', '720p'] });
    expect(specs.map((s) => s.expr)).toEqual(['frame.p99 < 150', 'playback.startupMs.p95 < 1000', 'throughput.framesPerSec >= 29.5']);
  });

  it('treats null and undefined as no thresholds', () => {
    expect(parseThresholds(undefined)).toEqual([]);
    expect(parseThresholds(null)).toEqual([]);
  });

  it('names the field, the bad value and what is allowed', () => {
    const badCheck = syntaxError([
      { metric: 'frame.p99', check: '< 1' },
      { metric: 'frame.p50', check: '< 1' },
      { metric: 'frame.p99', check: '<< 5' },
    ]);
    expect(badCheck.field).toBe('thresholds[2].check');
    expect(badCheck.message).toBe('thresholds[2].check: "<< 5" is not a check; expected an operator (<, <=, >, >=, ==, !=) and a number, e.g. "< 150"');
    expect(badCheck).toBeInstanceOf(ScenarioError);

    const badMetric = syntaxError({ 'frame.p98': '< 150' });
    expect(badMetric.field).toBe('thresholds."frame.p98"');
    expect(badMetric.detail).toContain('unknown metric "frame.p98"');
    expect(badMetric.detail).toContain('frame.<count|min|mean|p50|p90|p95|p99|p999|max>');

    const unknownGroup = syntaxError({ 'fps.mean': '> 1' });
    expect(unknownGroup.detail).toContain('counts.<framesExpected|');
    expect(unknownGroup.detail).toContain('playback.<stallRatio|stalls|stallMs>');

    expect(syntaxError({ 'frame.p99': 150 }).message).toContain('150 is not a check');
    expect(syntaxError({ 'frame.p99': ['< 1', 'fast'] }).field).toBe('thresholds."frame.p99"[1]');
    expect(syntaxError([{ metric: 'playback.startupMs', check: '< 1' }]).field).toBe('thresholds[0].metric');
    expect(syntaxError([{ metric: 'counts.lost', check: '< 1' }]).detail).toContain('counts.<framesExpected|framesReceived|framesLost');
    expect(syntaxError([{ metric: 'frame.p99', check: '< 1', when: {} }]).field).toBe('thresholds[0].when');
    expect(syntaxError([{ metric: 'frame.p99', check: '< 1', where: { format: { a: 1 } } }]).field).toBe('thresholds[0].where.format');
    expect(syntaxError([{ check: '< 1' }]).field).toBe('thresholds[0].metric');
    expect(syntaxError(['frame.p99 < 1']).field).toBe('thresholds[0]');
    expect(syntaxError('frame.p99 < 1').field).toBe('thresholds');
  });
});

describe('evaluateThresholds', () => {
  it('measures each metric path against the cell', () => {
    expect(metricValue(cellWebp480, 'frame.p99')).toBe(cellWebp480.latencyMs.frame.p99);
    expect(metricValue(cellWebp480, 'firstFrame.p95')).toBe(cellWebp480.latencyMs.firstFrame.p95);
    expect(metricValue(cellWebp480, 'counts.framesLost')).toBe(0);
    expect(metricValue(cellWebp480, 'throughput.bytesPerSec')).toBe(cellWebp480.throughput.bytesPerSec);
    expect(metricValue(cellWebp480, 'playback.stallRatio')).toBe(cellWebp480.playback!.stallRatio);
    expect(metricValue(cellWebp480, 'playback.startupMs.p95')).toBe(cellWebp480.playback!.startupMs.p95);
  });

  it('yields ok and value per applicable threshold, filtered by where', () => {
    const specs = parseThresholds([
      { metric: 'frame.p99', check: '< 150' },
      { metric: 'counts.framesLost', check: '== 0', where: { format: 'jpeg' } },
      { metric: 'throughput.framesPerSec', check: '>= 1450', where: { bufferDepth: 5 } },
      { metric: 'playback.stallRatio', check: '< 0.01' },
    ]);
    expect(evaluateThresholds(specs, cellWebp480)).toEqual([
      { expr: 'frame.p99 < 150', ok: true, value: cellWebp480.latencyMs.frame.p99, status: 'pass', metric: 'frame.p99', op: '<', bound: 150 },
      { expr: 'throughput.framesPerSec >= 1450', ok: true, value: cellWebp480.throughput.framesPerSec, status: 'pass', metric: 'throughput.framesPerSec', op: '>=', bound: 1450, where: { bufferDepth: [5] } },
      { expr: 'playback.stallRatio < 0.01', ok: true, value: cellWebp480.playback!.stallRatio, status: 'pass', metric: 'playback.stallRatio', op: '<', bound: 0.01 },
    ]);
    const jpeg = evaluateThresholds(specs, cellJpeg720);
    expect(jpeg.map((r) => [r.expr, r.ok])).toEqual([
      ['frame.p99 < 150', false],
      ['counts.framesLost == 0', false],
      ['throughput.framesPerSec >= 1450', false],
      ['playback.stallRatio < 0.01', false],
    ]);
  });

  it('fails with a null value when the cell lacks the metric', () => {
    const { playback: _omitted, ...noPlayback } = cellWebp480;
    expect(evaluateThresholds(parseThresholds({ 'playback.stalls': '== 0' }), noPlayback)).toEqual([
      { expr: 'playback.stalls == 0', ok: false, value: null, status: 'not_measured', reason: '0 playback startups', metric: 'playback.stalls', op: '==', bound: 0 },
    ]);
  });

  it('applies every operator', () => {
    const cell = { ...cellWebp480, counts: { ...cellWebp480.counts, errors: 2 } };
    const ok = (check: string): boolean => evaluateThresholds(parseThresholds({ 'counts.errors': check }), cell)[0]!.ok;
    expect([ok('< 2'), ok('<= 2'), ok('> 2'), ok('>= 2'), ok('== 2'), ok('!= 2')]).toEqual([false, true, false, true, true, false]);
    expect([ok('< 3'), ok('> 1'), ok('!= 0'), ok('== 2.0'), ok('> -1')]).toEqual([true, true, true, true, true]);
  });
});

describe('describeThreshold', () => {
  const r = (expr: string, value: number | null, ok = false): ThresholdResult => ({ expr, ok, value });

  it('shows the measured value and the relative miss', () => {
    expect(describeThreshold(r('frame.p99 < 150', 212.4))).toBe('frame.p99 < 150: measured 212.4 (41.6% over)');
    expect(describeThreshold(r('throughput.framesPerSec >= 30', 24.25))).toBe('throughput.framesPerSec >= 30: measured 24.25 (19.2% under)');
    expect(describeThreshold(r('counts.framesLost == 0', 3))).toBe('counts.framesLost == 0: measured 3');
    expect(describeThreshold(r('playback.stallRatio < 0', 0.012345))).toBe('playback.stallRatio < 0: measured 0.01235');
    expect(describeThreshold(r('playback.stalls == 0', null))).toBe('playback.stalls == 0: not measured');
    expect(describeThreshold(r('frame.p99 < 150', 99.5, true))).toBe('frame.p99 < 150: measured 99.5');
  });

  it('formats numbers compactly', () => {
    expect([formatNumber(3), formatNumber(212.44), formatNumber(24.256), formatNumber(0.0012346), formatNumber(1234.56)]).toEqual(['3', '212.4', '24.26', '0.001235', '1234.6']);
  });
});

describe('fail closed: metrics without samples', () => {
  const all = parseThresholds({
    'frame.p99': '< 150',
    'lateness.p99': '< 50',
    'firstFrame.p95': '< 500',
    'counts.framesLost': '== 0',
    'counts.lossRatio': '< 0.02',
    'counts.requestsCompleted': '>= 0',
    'throughput.framesPerSec': '< 1000',
    'playback.stallRatio': '< 0.01',
    'chaos.unrecovered': '== 0',
  });

  it('a threshold over a metric with n = 0 is not measured and fails, with what was missing', () => {
    const results = evaluateThresholds(all, cellForeign);
    expect(results.map((r) => [r.expr, r.status, r.ok, r.value, r.reason])).toEqual([
      ['frame.p99 < 150', 'not_measured', false, null, '0 frames'],
      ['lateness.p99 < 50', 'not_measured', false, null, '0 frames'],
      ['firstFrame.p95 < 500', 'not_measured', false, null, '0 requests that received a frame'],
      ['counts.framesLost == 0', 'not_measured', false, null, '0 frames expected'],
      ['counts.lossRatio < 0.02', 'not_measured', false, null, '0 frames expected'],
      ['counts.requestsCompleted >= 0', 'not_measured', false, null, '0 requests'],
      ['throughput.framesPerSec < 1000', 'not_measured', false, null, '0 frames'],
      ['playback.stallRatio < 0.01', 'not_measured', false, null, '0 playback startups'],
      ['chaos.unrecovered == 0', 'not_measured', false, null, '0 faults injected'],
    ]);
    expect(results.every(thresholdFailed)).toBe(true);
    expect(describeThreshold(results[0]!)).toBe('frame.p99 < 150: not measured (0 frames)');
  });

  it('the same thresholds are measured on a cell with samples', () => {
    const cell = { ...cellWebp480, counts: { ...cellWebp480.counts, lossRatio: 0 } };
    const results = evaluateThresholds(
      all.filter((s) => !s.metric.startsWith('chaos')),
      cell,
    );
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass']);
  });

  it('counts of connection attempts are measured once a client tried to connect', () => {
    const [errors] = evaluateThresholds(parseThresholds({ 'counts.errors': '< 1' }), cellForeign);
    expect(errors).toMatchObject({ status: 'fail', value: 300 });
    const none = { ...cellForeign, counts: { ...cellForeign.counts, connects: 0 } };
    expect(evaluateThresholds(parseThresholds({ 'counts.connectFailures': '== 0' }), none)[0]).toMatchObject({ status: 'not_measured', reason: '0 connection attempts' });
  });

  it('chaos recovery: faults on a zero baseline are not measured; a measured fault that never recovered fails', () => {
    const fault = { t: 1, kind: 'kill-clients', hit: 3, baselineFps: 0, recoverSec: null, framesLost: 0 };
    const zero = { ...cellWebp480, chaos: { faults: [{ ...fault, notMeasured: true }], lossByKind: {}, recoverSec: { p50: null, p99: null, max: null }, unrecovered: 0, notMeasured: 1 } };
    const specs = parseThresholds({ 'chaos.recoverSec.max': '< 5', 'chaos.unrecovered': '== 0' });
    expect(evaluateThresholds(specs, zero).map((r) => [r.status, r.reason])).toEqual([
      ['not_measured', '0 faults with frames/s before them'],
      ['not_measured', '0 faults with frames/s before them'],
    ]);
    const stuck = { ...cellWebp480, chaos: { faults: [{ ...fault, baselineFps: 300 }], lossByKind: {}, recoverSec: { p50: null, p99: null, max: null }, unrecovered: 1 } };
    const [max, unrecovered] = evaluateThresholds(specs, stuck);
    expect(max).toMatchObject({ status: 'fail', ok: false, value: null, reason: 'no fault recovered' });
    expect(describeThreshold(max!)).toBe('chaos.recoverSec.max < 5: no fault recovered');
    expect(unrecovered).toMatchObject({ status: 'fail', value: 1 });
  });
});

describe('optional thresholds', () => {
  it('list form optional: true and map form { check, optional } parse; a bad optional is named', () => {
    const specs = parseThresholds([{ metric: 'frame.p99', check: '< 150', optional: true }]);
    expect(specs[0]).toEqual({ metric: 'frame.p99', op: '<', bound: 150, expr: 'frame.p99 < 150', optional: true });
    const map = parseThresholds({ 'frame.p99': { check: '< 150', optional: true }, 'counts.framesLost': ['== 0', { check: '<= 1', optional: true }] });
    expect(map.map((s) => [s.expr, s.optional ?? false])).toEqual([
      ['frame.p99 < 150', true],
      ['counts.framesLost == 0', false],
      ['counts.framesLost <= 1', true],
    ]);
    expect(syntaxError([{ metric: 'frame.p99', check: '< 1', optional: 'yes' }]).message).toBe('thresholds[0].optional: expected true or false, got "yes"');
    expect(syntaxError({ 'frame.p99': { check: '< 1', where: { format: 'webp' } } }).field).toBe('thresholds."frame.p99".where');
    expect(syntaxError({ 'frame.p99': { optional: true } }).field).toBe('thresholds."frame.p99".check');
  });

  it('skips (never passes) an optional threshold that was not measured, and does not fail it', () => {
    const specs = parseThresholds([
      { metric: 'frame.p99', check: '< 150', optional: true },
      { metric: 'counts.framesLost', check: '== 0' },
    ]);
    const [p99, lost] = evaluateThresholds(specs, cellForeign);
    expect(p99).toMatchObject({ status: 'skipped', ok: true, value: null, optional: true, reason: '0 frames' });
    expect(thresholdFailed(p99!)).toBe(false);
    expect(describeThreshold(p99!)).toBe('frame.p99 < 150: skipped: not measured (0 frames), optional');
    expect(lost).toMatchObject({ status: 'not_measured', ok: false });
  });

  it('an optional threshold that was measured is judged like any other', () => {
    const [p99] = evaluateThresholds(parseThresholds([{ metric: 'frame.p99', check: '< 150', optional: true }]), cellJpeg720);
    expect(p99).toMatchObject({ status: 'fail', ok: false, value: 212.4 });
  });

  it('reads the status of results written before it existed', () => {
    expect(thresholdStatus({ ok: true, value: 1 })).toBe('pass');
    expect(thresholdStatus({ ok: false, value: 1 })).toBe('fail');
    expect(thresholdStatus({ ok: false, value: null })).toBe('not_measured');
  });
});
