// The in-page playback model, tested in Node: start at buffer depth, stalls on underrun, frames
// decoded too late or pushed out of a full buffer, and freezes by the W3C freezeCount rule.
import { describe, expect, it } from 'vitest';
import { freezeThresholdMs, StreamPlayer } from '../../src/browser/page/player.js';

function player(depth: number): { p: StreamPlayer<string>; released: string[] } {
  const released: string[] = [];
  return { p: new StreamPlayer<string>(depth, (x) => released.push(x)), released };
}

describe('freezeThresholdMs', () => {
  it('is max(3 × mean, mean + 150 ms)', () => {
    expect(freezeThresholdMs(33.3)).toBeCloseTo(183.3, 6);
    expect(freezeThresholdMs(100)).toBe(300);
    expect(freezeThresholdMs(75)).toBe(225);
  });
});

describe('StreamPlayer', () => {
  it('starts once bufferDepth frames are decoded and paints them in order', () => {
    const { p } = player(3);
    const ids = [p.enqueue(), p.enqueue(), p.enqueue()];
    p.decoded(ids[0] as number, 'a', 1);
    p.decoded(ids[1] as number, 'b', 2);
    expect(p.tick(10)).toBeNull();
    p.decoded(ids[2] as number, 'c', 3);
    expect(p.tick(20)?.image).toBe('a');
    expect(p.tick(53)?.image).toBe('b');
    expect(p.tick(86)?.image).toBe('c');
    expect(p.counts).toMatchObject({ painted: 3, stalls: 0, droppedLate: 0, droppedOverflow: 0 });
  });

  it('counts an underrun as one stall lasting until the paint that resumes, after the buffer refilled', () => {
    const { p } = player(2);
    p.decoded(p.enqueue(), 'f0', 0);
    p.decoded(p.enqueue(), 'f1', 1);
    p.tick(10);
    p.tick(43);
    expect(p.tick(76)).toBeNull();
    expect(p.tick(109)).toBeNull();
    p.decoded(p.enqueue(), 'f2', 110);
    expect(p.tick(142)).toBeNull();
    p.decoded(p.enqueue(), 'f3', 150);
    expect(p.tick(175)?.image).toBe('f2');
    expect(p.counts.stalls).toBe(1);
    expect(p.counts.stallMs).toBe(175 - 76);
  });

  it('skips a frame still decoding when a later one is ready, and drops it as too late when it arrives', () => {
    const { p, released } = player(1);
    const a = p.enqueue();
    const b = p.enqueue();
    p.decoded(b, 'b', 5);
    expect(p.tick(10)?.image).toBe('b');
    expect(p.decoded(a, 'a', 12)).toBe(false);
    expect(p.counts.droppedLate).toBe(1);
    expect(released).toContain('a');
  });

  it('pushes the oldest decoded frame out of a full buffer', () => {
    const { p, released } = player(2);
    for (const x of ['a', 'b', 'c']) p.decoded(p.enqueue(), x, 1);
    expect(p.counts.droppedOverflow).toBe(1);
    expect(released).toEqual(['a']);
    expect(p.tick(10)?.image).toBe('b');
  });

  it('counts a freeze when a paint gap reaches the W3C threshold, not below it', () => {
    const { p } = player(1);
    let t = 0;
    const paintAt = (at: number): void => {
      p.decoded(p.enqueue(), `f${at}`, at - 1);
      expect(p.tick(at)).not.toBeNull();
    };
    for (let i = 0; i < 10; i++) paintAt((t += 100));
    paintAt((t += 299));
    expect(p.counts.freezes).toBe(0);
    paintAt((t += 400));
    expect(p.counts.freezes).toBe(1);
    expect(p.counts.freezeMs).toBe(400);
  });

  it('finish closes an open stall and releases what is buffered', () => {
    const { p, released } = player(1);
    p.decoded(p.enqueue(), 'a', 0);
    p.tick(10);
    p.tick(43);
    p.decoded(p.enqueue(), 'x', 44);
    const { p: q, released: r2 } = player(1);
    q.decoded(q.enqueue(), 'a', 0);
    q.tick(10);
    q.tick(43);
    q.finish(100);
    expect(q.counts.stallMs).toBe(57);
    p.finish(50);
    expect(released).toContain('x');
    expect(r2).toEqual([]);
  });
});
