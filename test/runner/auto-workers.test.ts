import { describe, expect, it } from 'vitest';
import { resolveWorkers } from '../../src/runner/capacity.js';

describe('--workers auto', () => {
  it('runs clients in-process below 1000 clients', () => {
    expect(resolveWorkers('auto', 999, false, 8)).toBe(0);
  });

  it('uses one worker per usable core, minus one for the embedded server', () => {
    expect(resolveWorkers('auto', 5000, false, 4)).toBe(4);
    expect(resolveWorkers('auto', 5000, true, 4)).toBe(3);
    expect(resolveWorkers('auto', 5000, false, 2)).toBe(2);
  });

  it('stays in-process when that leaves a single core (a worker there only adds a process and IPC)', () => {
    expect(resolveWorkers('auto', 5000, false, 1)).toBe(0);
    expect(resolveWorkers('auto', 5000, true, 2)).toBe(0);
  });

  it('a number is taken as given, capped at the client count', () => {
    expect(resolveWorkers(3, 5000, true, 1)).toBe(3);
    expect(resolveWorkers(8, 2, false, 8)).toBe(2);
  });
});
