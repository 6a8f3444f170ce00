import { describe, expect, it } from 'vitest';
import { planCells } from '../../src/scenario/sweep.js';
import { cellSchedule, checkNotPast, CELL_CLOSE_SLACK_MS, effectiveStart, parseStartAt } from '../../src/shard/start-at.js';
import { scenario } from '../helpers.js';

describe('--start-at', () => {
  it('parses ISO 8601 times with a zone and rejects the rest', () => {
    expect(parseStartAt('2026-12-01T21:00:00Z')).toBe(Date.parse('2026-12-01T21:00:00Z'));
    expect(parseStartAt('2026-12-01T22:00:00+01:00')).toBe(Date.parse('2026-12-01T21:00:00Z'));
    expect(() => parseStartAt('2026-12-01 21:00')).toThrow(/ISO 8601 time with a zone/);
    expect(() => parseStartAt('2026-12-01T21:00:00')).toThrow(/with a zone/);
  });

  it('fails with exit 3 when the start is past by more than the tolerance', () => {
    const at = Date.parse('2026-12-01T21:00:00Z');
    expect(() => checkNotPast(at, at + 4000, 5000)).not.toThrow();
    let err: unknown;
    try {
      checkNotPast(at, at + 6500, 5000, '--start-at');
    } catch (e) {
      err = e;
    }
    expect((err as { exitCode: number }).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/--start-at 2026-12-01T21:00:00.000Z passed 6.5 s ago \(tolerance 5.0 s\).*later --start-at/);
  });

  it('schedules cells so that every measured window starts on a whole second, one slot after the other', () => {
    const { scenario: s } = scenario({ clients: 2, rampUp: '300ms', warmup: '450ms', duration: '2s', drainTimeout: '1s', sweep: { format: ['webp', 'jpeg'] } });
    const plans = planCells(s);
    const at = Date.parse('2026-12-01T21:00:00.200Z');
    const starts = cellSchedule(plans, at);
    expect(starts).toHaveLength(2);
    for (const start of starts) expect((start + 750) % 1000).toBe(0);
    expect(starts[0]).toBeGreaterThanOrEqual(at);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(750 + 2000 + 1000 + CELL_CLOSE_SLACK_MS);
    expect(cellSchedule(plans, at)).toEqual(starts);
  });

  it('a late start moves to the next moment whose measured window begins on a whole second', () => {
    const at = Date.parse('2026-12-01T21:00:00.250Z');
    expect(effectiveStart(at, at - 10, 750)).toBe(at);
    const late = effectiveStart(at, at + 1300, 750);
    expect((late + 750) % 1000).toBe(0);
    expect(late).toBeGreaterThanOrEqual(at + 1300);
    expect(late - (at + 1300)).toBeLessThan(1000);
  });
});
