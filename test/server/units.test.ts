// Pure parts of the reference server: frame timing, message validation, scheduler order, options.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveServerOptions } from '../../src/server/options.js';
import { parseClientMessage } from '../../src/server/parse-message.js';
import { FrameScheduler, type Scheduled } from '../../src/server/scheduler.js';
import { dueTimeUs, seededRandom, sendTimeUs } from '../../src/server/timing.js';
import { nowUs } from '../../src/protocol/clock.js';

describe('timing', () => {
  it('computes due times from t0 without drift', () => {
    expect(dueTimeUs(1_000_000, 0, 30)).toBe(1_000_000);
    expect(dueTimeUs(1_000_000, 3, 30)).toBeCloseTo(1_100_000, 6);
    expect(dueTimeUs(0, 30_000_000, 30)).toBeCloseTo(1e12, 0);
  });

  it('adds delay and jitter but never sends before the previous frame', () => {
    expect(sendTimeUs(1000, 500, 0, 0.9, 0)).toBe(1500);
    expect(sendTimeUs(1000, 0, 1000, 0.25, 0)).toBe(1250);
    expect(sendTimeUs(1000, 0, 1000, 0, 1900)).toBe(1900);
  });

  it('seeded PRNG is deterministic and in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });
});

describe('parseClientMessage', () => {
  const ok = { type: 'generate', requestId: 1, format: 'webp', resolution: '480p', quality: 75, fps: 30, frames: 0 };

  it('accepts a generate request and resolves the resolution', () => {
    expect(parseClientMessage(JSON.stringify(ok))).toEqual({ ...ok, resolution: undefined, width: 854, height: 480, transport: 'binary' });
  });

  it('rejects with the field name', () => {
    expect(parseClientMessage('nope')).toMatchObject({ type: 'error', code: 'bad_json' });
    expect(parseClientMessage(JSON.stringify({ ...ok, requestId: 2 ** 32 }))).toMatchObject({ message: /^requestId:/ });
    expect(parseClientMessage(JSON.stringify({ ...ok, fps: 0 }))).toMatchObject({ code: 'bad_request', requestId: 1, message: /^fps:/ });
    expect(parseClientMessage(JSON.stringify({ type: 'cancel' }))).toMatchObject({ message: /^requestId:/ });
    expect(parseClientMessage(JSON.stringify({ type: 'cancel', requestId: 4 }))).toEqual({ type: 'cancel', requestId: 4 });
  });

  it('accepts a session on generate and validates resume', () => {
    expect(parseClientMessage(JSON.stringify({ ...ok, session: 's-1' }))).toMatchObject({ type: 'generate', session: 's-1' });
    expect(parseClientMessage(JSON.stringify({ ...ok, session: 7 }))).toMatchObject({ code: 'bad_request', message: /^session:/ });
    const resume = { type: 'resume', session: 's-1', requestId: 3, lastSeq: -1 };
    expect(parseClientMessage(JSON.stringify(resume))).toEqual(resume);
    expect(parseClientMessage(JSON.stringify({ ...resume, lastSeq: -2 }))).toMatchObject({ requestId: 3, message: /^lastSeq:/ });
    expect(parseClientMessage(JSON.stringify({ ...resume, session: 'x'.repeat(300) }))).toMatchObject({ message: /^session:/ });
    expect(parseClientMessage(JSON.stringify({ type: 'dance' }))).toMatchObject({ message: /allowed: generate, cancel, clock, resume/ });
  });
});

describe('FrameScheduler', () => {
  it('fires streams in due order, catching up overdue frames, and drops cancelled ones', async () => {
    const s = new FrameScheduler();
    const fired: string[] = [];
    const base = nowUs();
    const stream = (name: string, offsetsMs: number[]): Scheduled => {
      let i = 0;
      const st: Scheduled = {
        active: true,
        nextSendUs: base + offsetsMs[0]! * 1000,
        fire: () => {
          fired.push(`${name}${i}`);
          i++;
          if (i >= offsetsMs.length) return false;
          st.nextSendUs = base + offsetsMs[i]! * 1000;
          return true;
        },
      };
      return st;
    };
    s.add(stream('a', [-50, -40, 5, 30]));
    s.add(stream('b', [-45, 10]));
    const c = stream('c', [1, 2, 3]);
    s.add(c);
    c.active = false;
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toEqual(['a0', 'b0', 'a1', 'a2', 'b1', 'a3']);
    expect(s.size).toBe(0);
    s.stop();
  });
});

describe('resolveServerOptions', () => {
  it('fills defaults and names bad options', () => {
    expect(resolveServerOptions({})).toMatchObject({ host: '127.0.0.1', port: 0, maxBufferBytes: 8 * 1024 * 1024, heartbeatMs: 30_000 });
    expect(() => resolveServerOptions({ port: 70000 })).toThrow(UsageError);
    expect(() => resolveServerOptions({ jitterMs: -1 })).toThrow(/jitterMs/);
    expect(resolveServerOptions({})).toMatchObject({ resumeGraceMs: 30_000, replayFrames: 300, maxDetachedStreams: 100_000 });
    expect(() => resolveServerOptions({ replayFrames: 1.5 })).toThrow(/replayFrames/);
    expect(() => resolveServerOptions({ resumeGraceMs: -1 })).toThrow(/resumeGraceMs/);
    expect(() => resolveServerOptions({ adminToken: '' })).toThrow(/adminToken/);
    expect(resolveServerOptions({}).workers).toBe(1);
    expect(() => resolveServerOptions({ workers: 0 })).toThrow(/workers/);
    expect(() => resolveServerOptions({ workers: 65 })).toThrow(/workers/);
  });
});
