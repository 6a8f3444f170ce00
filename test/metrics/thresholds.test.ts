import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import type { ThresholdResult } from '../../src/metrics/results-types.js';
import {
  ThresholdSyntaxError,
  describeFailure,
  evaluateThresholds,
  formatNumber,
  metricValue,
  parseThresholds,
} from '../../src/metrics/thresholds.js';
import { cellWebp480, cellJpeg720 } from '../fixtures/results-small.js';

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
    const badCheck = syntaxError([{ metric: 'frame.p99', check: '< 1' }, { metric: 'frame.p50', check: '< 1' }, { metric: 'frame.p99', check: '<< 5' }]);
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
      { expr: 'frame.p99 < 150', ok: true, value: cellWebp480.latencyMs.frame.p99 },
      { expr: 'throughput.framesPerSec >= 1450', ok: true, value: cellWebp480.throughput.framesPerSec },
      { expr: 'playback.stallRatio < 0.01', ok: true, value: cellWebp480.playback!.stallRatio },
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
    expect(evaluateThresholds(parseThresholds({ 'playback.stalls': '== 0' }), noPlayback)).toEqual([{ expr: 'playback.stalls == 0', ok: false, value: null }]);
  });

  it('applies every operator', () => {
    const cell = { ...cellWebp480, counts: { ...cellWebp480.counts, errors: 2 } };
    const ok = (check: string): boolean => evaluateThresholds(parseThresholds({ 'counts.errors': check }), cell)[0]!.ok;
    expect([ok('< 2'), ok('<= 2'), ok('> 2'), ok('>= 2'), ok('== 2'), ok('!= 2')]).toEqual([false, true, false, true, true, false]);
    expect([ok('< 3'), ok('> 1'), ok('!= 0'), ok('== 2.0'), ok('> -1')]).toEqual([true, true, true, true, true]);
  });
});

describe('describeFailure', () => {
  const r = (expr: string, value: number | null, ok = false): ThresholdResult => ({ expr, ok, value });

  it('shows the measured value and the relative miss', () => {
    expect(describeFailure(r('frame.p99 < 150', 212.4))).toBe('frame.p99 < 150: measured 212.4 (41.6% over)');
    expect(describeFailure(r('throughput.framesPerSec >= 30', 24.25))).toBe('throughput.framesPerSec >= 30: measured 24.25 (19.2% under)');
    expect(describeFailure(r('counts.framesLost == 0', 3))).toBe('counts.framesLost == 0: measured 3');
    expect(describeFailure(r('playback.stallRatio < 0', 0.012345))).toBe('playback.stallRatio < 0: measured 0.01235');
    expect(describeFailure(r('playback.stalls == 0', null))).toBe('playback.stalls == 0: not measured');
    expect(describeFailure(r('frame.p99 < 150', 99.5, true))).toBe('frame.p99 < 150: measured 99.5');
  });

  it('formats numbers compactly', () => {
    expect([formatNumber(3), formatNumber(212.44), formatNumber(24.256), formatNumber(0.0012346), formatNumber(1234.56)]).toEqual(['3', '212.4', '24.26', '0.001235', '1234.6']);
  });
});
