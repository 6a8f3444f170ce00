import { describe, expect, it } from 'vitest';
import { chaosSummary, faultImpacts } from '../../src/metrics/chaos-impact.js';
import type { TimeseriesPoint } from '../../src/results/types.js';

const series = (fps: number[], lost: number[] = []): TimeseriesPoint[] => fps.map((f, i) => ({ t: i + 1, durationSec: 1, framesPerSec: f, bytesPerSec: 0, p50: 0, p99: 0, connections: 10, errors: 0, lost: lost[i] ?? 0 }));

describe('fault impact', () => {
  it('measures recovery to 95 % of the level before the fault, and attributes loss to the latest fault', () => {
    const ts = series([100, 100, 100, 20, 50, 96, 100, 100, 30, 100], [0, 0, 0, 5, 7, 0, 0, 0, 9, 1]);
    const impacts = faultImpacts(
      [
        { t: 3, kind: 'restart-server', detail: 'SIGKILL' },
        { t: 8, kind: 'kill-clients', detail: 'killed 2 of 10', hit: 2 },
        { t: 8.5, kind: 'repeat-end', detail: 'not a fault' },
      ],
      ts,
    );
    expect(impacts).toHaveLength(2);
    expect(impacts[0]).toEqual({ t: 3, kind: 'restart-server', hit: null, baselineFps: 100, recoverSec: 3, framesLost: 12 });
    expect(impacts[1]).toEqual({ t: 8, kind: 'kill-clients', hit: 2, baselineFps: 98.7, recoverSec: 2, framesLost: 10 });
  });

  it('does not count the window the fault fell into (mostly before it) as a recovery', () => {
    const [impact] = faultImpacts([{ t: 2.5, kind: 'restart-server', detail: 'SIGKILL' }], series([100, 100, 100, 0, 40, 100]));
    expect(impact!.recoverSec).toBe(3.5);
  });

  it('reports faults that never recovered', () => {
    const summary = chaosSummary([{ t: 2, kind: 'network', detail: 'black hole' }], series([100, 100, 10, 10, 10]))!;
    expect(summary.unrecovered).toBe(1);
    expect(summary.recoverSec).toEqual({ p50: null, p99: null, max: null });
    expect(chaosSummary([], series([1]))).toBeUndefined();
  });

  it('a fault on a zero baseline (no frames before it) is not measured: neither recovered nor unrecovered', () => {
    const events = [
      { t: 2, kind: 'kill-clients', detail: 'killed 2 of 10', hit: 2 },
      { t: 6, kind: 'restart-server', detail: 'SIGKILL' },
    ];
    const summary = chaosSummary(events, series([0, 0, 0, 0, 100, 100, 40, 98, 100]))!;
    expect(summary.faults[0]).toEqual({ t: 2, kind: 'kill-clients', hit: 2, baselineFps: 0, recoverSec: null, notMeasured: true, framesLost: 0 });
    expect(summary.faults[1]!.recoverSec).toBe(2);
    expect(summary.unrecovered).toBe(0);
    expect(summary.notMeasured).toBe(1);
    expect(summary.recoverSec.max).toBe(2);
    const none = chaosSummary([events[0]!], series([0, 0, 0, 0]))!;
    expect(none).toMatchObject({ unrecovered: 0, notMeasured: 1, recoverSec: { p50: null, p99: null, max: null } });
  });
});
