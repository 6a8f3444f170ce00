// Drift thresholds from a scenario's `drift:` map: parsing with errors that name the field, and
// evaluation against a drift report (magnitude vs signed bounds, slopes with units, missing data).
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { DriftThresholdError, analyzeDrift, evaluateDriftThresholds, parseDriftThresholds } from '../../src/soak/drift.js';
import { holdPoints, scrapeResult } from './synthetic.js';

function fieldOf(raw: unknown): string {
  try {
    parseDriftThresholds(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DriftThresholdError);
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as DriftThresholdError).field;
  }
  throw new Error('expected an error');
}

describe('parseDriftThresholds', () => {
  it('parses percent, slope and churn checks into canonical expressions', () => {
    const specs = parseDriftThresholds({
      'frame.p99': '< 20%',
      'target.memory': ['< 50MB/h', '<= 500 KB/h'],
      framesPerSec: '> -10%',
      'target.eventLoopLag': '< 5ms/h',
      'series.queue_depth': '< 3/h',
      'churn.reconnectsPerMin': '< 5/min',
    });
    expect(specs.map((s) => [s.expr, s.quantity, s.signed, s.bound])).toEqual([
      ['drift.frame.p99 < 20%', 'changePct', false, 20],
      ['drift.target.memory < 50MB/h', 'slopePerHour', false, 50],
      ['drift.target.memory <= 500KB/h', 'slopePerHour', false, 0.5],
      ['drift.framesPerSec > -10%', 'changePct', true, -10],
      ['drift.target.eventLoopLag < 5ms/h', 'slopePerHour', false, 5],
      ['drift.series.queue_depth < 3/h', 'slopePerHour', false, 3],
      ['drift.churn.reconnectsPerMin < 5', 'reconnectsPerMin', true, 5],
    ]);
    expect(parseDriftThresholds(undefined)).toEqual([]);
    expect(parseDriftThresholds(null)).toEqual([]);
  });

  it('names the field in every error', () => {
    expect(fieldOf({ 'frame.p98': '< 20%' })).toBe('drift."frame.p98"');
    expect(fieldOf({ 'frame.p99': '< 20' })).toBe('drift."frame.p99"');
    expect(fieldOf({ 'frame.p99': 20 })).toBe('drift."frame.p99"');
    expect(fieldOf({ 'frame.p99': ['< 20%', 'about 5%'] })).toBe('drift."frame.p99"[1]');
    expect(fieldOf({ 'frame.p99': '< 20MB/h' })).toBe('drift."frame.p99"');
    expect(fieldOf({ 'churn.reconnectsPerMin': '< 5%' })).toBe('drift."churn.reconnectsPerMin"');
    expect(fieldOf(['frame.p99'])).toBe('drift');
    expect(() => parseDriftThresholds({ 'target.memory': '< 5TB/h' })).toThrow(/use "B\/h", "KB\/h", "MB\/h", "GB\/h" or "\/h"/);
    expect(() => parseDriftThresholds({ 'frame.p99': '< 20' })).toThrow(/needs a unit/);
  });
});

describe('evaluateDriftThresholds', () => {
  const report = analyzeDrift(holdPoints({ p99: (f) => 100 + 40 * f, fps: (f) => 36_000 * (1 - 0.2 * f) }), [scrapeResult({ mbPerHour: 40 }), scrapeResult({ url: 'https://b/metrics', mbPerHour: 80, seed: 3 })]);

  it('compares magnitudes by default and signed values when the bound has a sign', () => {
    const out = evaluateDriftThresholds(parseDriftThresholds({ 'frame.p99': ['< 20%', '< 50%', '< +20%'], framesPerSec: ['< 10%', '> -10%', '> -30%'], 'frame.p50': '< 10%' }), report);
    expect(out.map((r) => [r.expr, r.ok])).toEqual([
      ['drift.frame.p99 < 20%', false],
      ['drift.frame.p99 < 50%', true],
      ['drift.frame.p99 < +20%', false],
      ['drift.framesPerSec < 10%', false],
      ['drift.framesPerSec > -10%', false],
      ['drift.framesPerSec > -30%', true],
      ['drift.frame.p50 < 10%', true],
    ]);
    const p99 = report.metrics.find((m) => m.metric === 'frame.p99')!;
    expect(out[0]?.value).toBeCloseTo(p99.changePct, 9);
    expect(out[4]?.value).toBeLessThan(-10);
  });

  it('checks slopes in the bound unit against every scraped source and reports the worst', () => {
    const [under100, under50, under60k] = evaluateDriftThresholds(parseDriftThresholds({ 'target.memory': ['< 100MB/h', '< 50MB/h', '< 60000KB/h'] }), report);
    expect(under100?.ok).toBe(true);
    expect(under100?.value).toBeGreaterThan(75);
    expect(under50?.ok).toBe(false);
    expect(under50?.value).toBeGreaterThan(75);
    expect(under60k?.ok).toBe(false);
  });

  it('fails with value null when the metric was not measured or had too little data', () => {
    const specs = parseDriftThresholds({ 'target.memory': '< 50MB/h', 'frame.p99': '< 20%', 'churn.reconnectsPerMin': '< 5' });
    expect(evaluateDriftThresholds(specs, undefined).map((r) => r.value)).toEqual([null, null, null]);
    const short = analyzeDrift(holdPoints({ seconds: 30 }), []);
    expect(evaluateDriftThresholds(specs, short)).toEqual([
      { expr: 'drift.target.memory < 50MB/h', ok: false, value: null, status: 'not_measured', reason: 'not scraped', metric: 'drift.target.memory', op: '<', bound: 50 },
      { expr: 'drift.frame.p99 < 20%', ok: false, value: null, status: 'not_measured', reason: 'too little data: 4 points in the hold', metric: 'drift.frame.p99', op: '<', bound: 20 },
      { expr: 'drift.churn.reconnectsPerMin < 5', ok: true, value: short.churn.reconnectsPerMin, status: 'pass', metric: 'drift.churn.reconnectsPerMin', op: '<', bound: 5 },
    ]);
  });

  it('a zero baseline (no frames in the hold) is not measured, never stable, and fails its thresholds', () => {
    const dead = holdPoints({ p50: () => 0, p99: () => 0, fps: () => 0 }).map((p) => ({ ...p, connections: 0, reconnects: 0 }));
    const report = analyzeDrift(dead, []);
    const fps = report.metrics.find((m) => m.metric === 'framesPerSec')!;
    expect(fps.verdict).toBe('not-measured');
    expect(fps.sentence).toMatch(/^frames\/s: not measured \(0 in the first/);
    expect(report.metrics.find((m) => m.metric === 'connections')!.verdict).toBe('not-measured');
    expect(report.verdict).not.toBe('stable');
    const specs = parseDriftThresholds({ framesPerSec: '< 20%', 'frame.p99': '< 20%', 'churn.reconnectsPerMin': '< 5' });
    const results = evaluateDriftThresholds(specs, report);
    expect(results.map((r) => [r.status, r.ok, r.value])).toEqual([
      ['not_measured', false, null],
      ['not_measured', false, null],
      ['not_measured', false, null],
    ]);
    expect(results[0]!.reason).toBe('zero baseline: 0 at the start of the hold');
    expect(results[2]!.reason).toBe('no open connection in the hold');
  });

  it('optional drift checks are skipped when not measured (map-form object), and still judged when measured', () => {
    const specs = parseDriftThresholds({ 'target.memory': { check: '< 50MB/h', optional: true }, 'frame.p99': [{ check: '< 20%', optional: true }] });
    expect(specs.map((s) => s.optional)).toEqual([true, true]);
    const report = analyzeDrift(holdPoints(), []);
    const [memory, p99] = evaluateDriftThresholds(specs, report);
    expect(memory).toMatchObject({ status: 'skipped', ok: true, value: null, optional: true, reason: 'not scraped' });
    expect(p99).toMatchObject({ status: 'pass', ok: true, optional: true });
    expect(() => parseDriftThresholds({ 'frame.p99': { check: '< 20%', optional: 'yes' } })).toThrow(/drift\."frame\.p99"\.optional: expected true or false/);
    expect(() => parseDriftThresholds({ 'frame.p99': { check: '< 20%', when: 1 } })).toThrow(/unknown key; allowed: check, optional/);
  });
});
