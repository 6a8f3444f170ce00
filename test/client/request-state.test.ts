import { describe, expect, it } from 'vitest';
import { dueFrames, expectedFrames, RequestState } from '../../src/client/request-state.js';

const interval = 500_000; // 2 fps
const sentAt = 10_000_000;

/** A request of `requested` frames whose first frame (seq 0) arrived 50 ms after it was sent, then `n` frames on schedule. */
function stream(requested: number, n: number): RequestState {
  const req = new RequestState(1, requested, true, sentAt, interval);
  for (let seq = 0; seq < n; seq++) req.mark(seq);
  req.firstArrivalUs = sentAt + 50_000;
  req.anchorUs = req.firstArrivalUs;
  return req;
}

describe('frames due on a request schedule', () => {
  it('counts frames whose slot is before the end of the measured window', () => {
    const req = stream(30, 10);
    // seq 9 is due at anchor + 4.5 s; the window ended 4.6 s after the anchor: 10 frames were due.
    const windowEnd = req.anchorUs + 4_600_000;
    expect(dueFrames(req, { atUs: windowEnd + 3_000_000, windowEndUs: windowEnd })).toBe(10);
  });

  it('a frame still on its way when the harness hangs up is not due (one interval of grace)', () => {
    const req = stream(30, 5);
    // Cut 4.6 s after the anchor without a window end: seq 9 (4.5 s) is inside the grace, seq 8 (4.0 s) is not.
    expect(dueFrames(req, { atUs: req.anchorUs + 4_600_000 })).toBe(9);
    expect(dueFrames(req, { atUs: req.anchorUs + 5_100_000 })).toBe(10);
  });

  it('never fewer than arrived, never more than requested', () => {
    const req = stream(30, 20);
    expect(dueFrames(req, { atUs: req.anchorUs + 1_000_000 })).toBe(20);
    expect(dueFrames(stream(30, 30), { atUs: req.anchorUs + 60_000_000 })).toBe(30);
    expect(dueFrames(stream(30, 3), { atUs: req.anchorUs + 60_000_000 })).toBe(30);
  });

  it('before any frame arrived, the schedule starts when the request was sent', () => {
    const req = new RequestState(1, 30, true, sentAt, interval);
    expect(dueFrames(req, { atUs: sentAt + 100_000 })).toBe(0);
    expect(dueFrames(req, { atUs: sentAt + 2_000_000, windowEndUs: sentAt + 1_200_000 })).toBe(3);
  });
});

describe('expected frames', () => {
  const windowEnd = sentAt + 5_000_000;

  it('a cut request owes only what was due: cut is not lost', () => {
    const req = stream(30, 10);
    const expected = req.expected(undefined, { atUs: windowEnd + 3_000_000, cut: true, windowEndUs: windowEnd });
    expect(expected).toBe(10);
    expect(expected - req.received).toBe(0);
  });

  it('a cut request whose server stopped sending owes the frames due since', () => {
    const req = stream(30, 4); // frames 4.. (due from 2.05 s) never came; the window ended at 5 s
    expect(req.expected(undefined, { atUs: windowEnd + 3_000_000, cut: true, windowEndUs: windowEnd })).toBe(10);
  });

  it('a request that ended on its own owes everything it asked for', () => {
    const req = stream(30, 4);
    expect(req.expected(undefined, { atUs: windowEnd, cut: false, windowEndUs: windowEnd })).toBe(30);
    expect(req.expected(4, { atUs: windowEnd, cut: false })).toBe(30);
  });

  it('a continuous stream owes the server count from done, or what was due by its end', () => {
    const req = stream(0, 8);
    expect(req.expected(12, { atUs: windowEnd, cut: false })).toBe(12);
    expect(req.expected(3, { atUs: windowEnd, cut: false })).toBe(8);
    // Ended without done 4.05 s after the anchor: seqs 0..8 were due.
    expect(expectedFrames(req, undefined, { atUs: req.anchorUs + 4_050_000, cut: false })).toBe(9);
    expect(expectedFrames(req, undefined, { atUs: windowEnd + 3_000_000, cut: true, windowEndUs: windowEnd })).toBe(10);
  });
});

describe('which sequence numbers arrived', () => {
  it('tells duplicates from new frames on both sides of the small-integer bits and past any growth', () => {
    const req = new RequestState(1, 0, true, sentAt, interval);
    const seqs = [0, 29, 30, 31, 32, 63, 64, 511, 512, 5000];
    for (const seq of seqs) expect(req.mark(seq)).toBe(true);
    for (const seq of seqs) expect(req.mark(seq)).toBe(false);
    for (const seq of [1, 28, 33, 4999, 5001]) expect(req.mark(seq)).toBe(true);
    expect(req.received).toBe(seqs.length + 5);
    expect(req.duplicates).toBe(seqs.length);
    expect(req.maxSeq).toBe(5001);
  });

  it('refuses a seq beyond a fixed-count request without counting it', () => {
    const req = new RequestState(1, 40, true, sentAt, interval);
    expect(req.mark(39)).toBe(true);
    expect(req.mark(40)).toBe(false);
    expect(req.received).toBe(1);
    expect(req.duplicates).toBe(0);
  });
});
