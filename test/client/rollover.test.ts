import { describe, expect, it } from 'vitest';
import { rolloverBatch } from '../../src/client/pool.js';

describe('rolloverBatch', () => {
  it('spreads the rollover across one frame interval in 10 ms steps', () => {
    expect(rolloverBatch(5000, 500)).toBe(100); // 2 fps: 50 steps of 100 clients
    expect(rolloverBatch(1000, 100)).toBe(100); // 10 fps: 10 steps of 100 clients
    expect(rolloverBatch(10, 500)).toBe(1); // fewer clients than steps: one per step
  });

  it('never rolls over more than 250 clients in one step (high fps or many clients)', () => {
    expect(rolloverBatch(10_000, 1000 / 30)).toBe(250);
    expect(rolloverBatch(100_000, 500)).toBe(250);
  });

  it('rolls over at least one client per step', () => {
    expect(rolloverBatch(1, 1000 / 60)).toBe(1);
    expect(rolloverBatch(0, 500)).toBe(1);
  });
});
