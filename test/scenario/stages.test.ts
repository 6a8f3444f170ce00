import { describe, expect, it } from 'vitest';
import { holdWindow, scaleStages, soakStages, stageAt, stagesDurationMs } from '../../src/scenario/stages.js';

const stages = soakStages(1200, 10_000, 60_000, 5_000);

describe('stages', () => {
  it('ramps linearly from the previous target', () => {
    expect(stageAt(stages, 0)).toEqual({ index: 0, target: 0 });
    expect(stageAt(stages, 5_000)).toEqual({ index: 0, target: 600 });
    expect(stageAt(stages, 10_000)).toEqual({ index: 1, target: 1200 });
    expect(stageAt(stages, 40_000)).toEqual({ index: 1, target: 1200 });
    expect(stageAt(stages, 72_500)).toEqual({ index: 2, target: 600 });
    expect(stageAt(stages, 80_000)).toEqual({ index: 3, target: 0 });
    expect(stagesDurationMs(stages)).toBe(75_000);
  });

  it('finds the hold window at the peak', () => {
    expect(holdWindow(stages)).toEqual({ fromMs: 10_000, toMs: 70_000 });
    expect(holdWindow([{ durationMs: 1000, target: 10 }])).toBeUndefined();
  });

  it('splits targets over workers', () => {
    expect(scaleStages(stages, 400, 1200).map((s) => s.target)).toEqual([400, 400, 0]);
  });
});
