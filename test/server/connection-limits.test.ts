import { describe, expect, it } from 'vitest';
import { MessageRate, SendStallWatch } from '../../src/server/connection-limits.js';

describe('MessageRate', () => {
  it('admits one second of burst, then refills at the rate', () => {
    const r = new MessageRate(10, 0);
    let admitted = 0;
    for (let i = 0; i < 15; i++) if (r.admit(0)) admitted++;
    expect(admitted).toBe(10);
    expect(r.admit(50)).toBe(false); // half a token back
    expect(r.admit(100)).toBe(true);
    expect(r.admit(100)).toBe(false);
  });
});

describe('SendStallWatch', () => {
  it('is stuck only after the buffer stayed over its cap with nothing written for the limit', () => {
    const w = new SendStallWatch();
    expect(w.stuck(2000, 1000, 5, 1000, 100)).toBe(false);
    expect(w.stuck(2000, 1000, 5, 1099, 100)).toBe(false);
    expect(w.stuck(2000, 1000, 5, 1100, 100)).toBe(true);
  });

  it('starts over when something was written or the buffer went under the cap', () => {
    const w = new SendStallWatch();
    w.stuck(2000, 1000, 5, 1000, 100);
    expect(w.stuck(2000, 1000, 6, 1150, 100)).toBe(false); // a send in between
    expect(w.stuck(2000, 1000, 6, 1200, 100)).toBe(false); // watching again since 1200
    expect(w.stuck(500, 1000, 6, 1250, 100)).toBe(false);
    expect(w.stuck(2000, 1000, 6, 1400, 100)).toBe(false);
    expect(w.stuck(2000, 1000, 6, 1500, 100)).toBe(true);
  });
});
