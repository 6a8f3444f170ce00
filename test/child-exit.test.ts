// However many children are alive, the harness holds one 'exit' listener for them, and it kills
// exactly the ones not yet forgotten.
import { describe, expect, it } from 'vitest';
import { killOnExit } from '../src/child-exit.js';

describe('killOnExit', () => {
  it('adds one exit listener for any number of children and kills only those still registered', () => {
    const before = process.listeners('exit');
    const killed: number[] = [];
    const forget = Array.from({ length: 20 }, (_, i) => killOnExit(() => killed.push(i)));
    const added = process.listeners('exit').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);
    for (let i = 0; i < 20; i += 2) forget[i]!();
    (added[0] as () => void)();
    expect(killed).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    for (let i = 1; i < 20; i += 2) forget[i]!();
    process.off('exit', added[0] as () => void);
  });
});
