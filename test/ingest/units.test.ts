// Pure pieces of the upload direction: schedule, ledger, buffer, context, limits, retry timing,
// wire templates, recovery, and the ingest.* threshold metrics.
import { describe, expect, it } from 'vitest';
import { ContextWindow } from '../../src/ingest/context-window.js';
import { FrameBuffer } from '../../src/ingest/frame-buffer.js';
import { ingestRecovery } from '../../src/ingest/recovery.js';
import { retryAfterMs, retryDelayMs } from '../../src/ingest/retry.js';
import { TokenBucket } from '../../src/ingest/token-bucket.js';
import { UploadLedger } from '../../src/ingest/upload-ledger.js';
import { dueCount, dueMs, trimBacklog } from '../../src/ingest/upload-schedule.js';
import { BinaryFrameTemplate, JsonFrameTemplate, parseUploadFrame } from '../../src/ingest/wire.js';
import type { IngestPoint } from '../../src/results/ingest.js';
import { parseThresholds } from '../../src/metrics/thresholds.js';

describe('camera schedule', () => {
  it('frames are due at anchor + seq / fps; a stalled camera has a backlog, trimmed to maxBacklog and counted', () => {
    expect(dueMs(1000, 3, 500)).toBe(2500);
    expect(dueCount(999, 1000, 0, 500)).toBe(0);
    expect(dueCount(1000, 1000, 0, 500)).toBe(1);
    expect(dueCount(3200, 1000, 2, 500)).toBe(3);
    expect(trimBacklog(11_000, 1000, 0, 500, 5)).toEqual({ next: 16, skipped: 16 });
    expect(trimBacklog(2000, 1000, 0, 500, 5)).toEqual({ next: 0, skipped: 0 });
  });
});

describe('upload ledger', () => {
  it('resolves each sent seq once; the rest are lost, measured ones counted', () => {
    let lost = 0;
    const l = new UploadLedger(8, (n) => (lost += n));
    for (let s = 0; s < 4; s++) l.sent(s, s > 0);
    expect(l.resolve(1)).toBe('measured');
    expect(l.resolve(1)).toBe('unknown');
    expect(l.resolve(0)).toBe('unmeasured');
    expect(l.resolve(9)).toBe('unknown');
    expect(l.pending).toBe(2);
    l.lostAll();
    expect(lost).toBe(2);
    expect(l.pending).toBe(0);
  });

  it('is bounded: a frame older than the ring is given up as lost', () => {
    let lost = 0;
    const l = new UploadLedger(4, (n) => (lost += n));
    for (let s = 0; s < 6; s++) l.sent(s, true);
    expect(lost).toBe(2);
    expect(l.resolve(0)).toBe('unknown');
    expect(l.resolve(5)).toBe('measured');
  });
});

describe('server buffer and context', () => {
  it('drops the oldest when full and takes oldest first', () => {
    const b = new FrameBuffer<number>(3);
    expect([b.push(1), b.push(2), b.push(3), b.push(4)]).toEqual([undefined, undefined, undefined, 1]);
    expect(b.take(2)).toEqual([2, 3]);
    expect(b.length).toBe(1);
    expect(b.clear()).toEqual([4]);
  });

  it('keeps the newest answers within the character budget', () => {
    const c = new ContextWindow(10);
    c.add(1, 'aaaa');
    c.add(2, 'bbbb');
    c.add(3, 'cccc');
    expect(c.size).toBe(8);
    expect(c.render()).toBe('[answer 2] bbbb\n[answer 3] cccc');
    c.add(4, 'x'.repeat(30));
    expect(c.size).toBe(10);
    expect(new ContextWindow(0).count).toBe(0);
  });
});

describe('limits and retries', () => {
  it('token bucket: rate, burst, wait', () => {
    const b = new TokenBucket(2, 2, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([true, true, false]);
    expect(b.waitMs(0)).toBeCloseTo(500);
    expect(b.take(500)).toBe(true);
    expect(b.waitMs(500, 3)).toBe(Infinity);
  });

  it('Retry-After in seconds, ms or an HTTP date; backoff jittered and capped', () => {
    const h = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });
    expect(retryAfterMs(h({ 'retry-after': '2' }), 0)).toBe(2000);
    expect(retryAfterMs(h({ 'retry-after-ms': '150', 'retry-after': '1' }), 0)).toBe(150);
    expect(retryAfterMs(h({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterMs(h({}), 0)).toBeUndefined();
    const p = { maxRetries: 3, baseMs: 100, capMs: 1000 };
    expect(retryDelayMs(0, p, 0)).toBe(50);
    expect(retryDelayMs(3, p, 1)).toBe(800);
    expect(retryDelayMs(10, p, 1)).toBe(1000);
    expect(retryDelayMs(0, p, 0.5, 5000)).toBe(1000);
  });
});

describe('wire templates', () => {
  it('one JSON template serves every send: seq and capturedAt written in place, valid JSON each time', () => {
    const t = new JsonFrameTemplate('QUJD', 'jpeg', 640, 360);
    const a = parseUploadFrame(Buffer.from(t.fill(7, 1700000000123.25)), false);
    expect(a).toMatchObject({ seq: 7, capturedAtMs: 1700000000123.25, base64: 'QUJD', imageBytes: 3, format: 'jpeg' });
    const b = parseUploadFrame(Buffer.from(t.fill(1234567, 5)), false);
    expect(b).toMatchObject({ seq: 1234567, capturedAtMs: 5 });
  });

  it('binary template: 16-byte header then the image', () => {
    const t = new BinaryFrameTemplate(Buffer.from([0xff, 0xd8, 9]));
    const f = parseUploadFrame(Buffer.from(t.fill(42, 99.5)), true);
    expect(f).toMatchObject({ seq: 42, capturedAtMs: 99.5, imageBytes: 3 });
    expect(() => parseUploadFrame(Buffer.from([1, 2, 3]), true)).toThrow(/16-byte header/);
    expect(() => parseUploadFrame(Buffer.from('{"type":"frame"}'), false)).toThrow(/expected/);
  });
});

describe('recovery after a fault', () => {
  const pt = (t: number, lagP99: number, bufferDepth: number): IngestPoint => ({
    t,
    sentPerSec: 1,
    answersPerSec: 1,
    coveredPerSec: 1,
    dropped: 0,
    lost: 0,
    lagP50: lagP99,
    lagP99,
    latenessP99: 0,
    bytesPerSec: 0,
    connections: 4,
    bufferDepth,
  });
  it('measures from the end of the fault until lag and buffer are back and stay back', () => {
    const series = [pt(1, 1000, 4), pt(2, 1000, 4), pt(3, 9000, 40), pt(4, 12000, 60), pt(5, 6000, 30), pt(6, 1200, 5), pt(7, 1100, 4), pt(8, 1000, 4)];
    const [r] = ingestRecovery([{ t: 2.5, kind: 'model-api', detail: '', endsAt: 4 }], series);
    expect(r).toMatchObject({ kind: 'model-api', lagBeforeMs: 1000, lagPeakMs: 12000, lagRecoverSec: 2, bufferRecoverSec: 2, bufferBefore: 4, bufferPeak: 60 });
    const [never] = ingestRecovery([{ t: 2.5, kind: 'model-api', detail: '' }], series.slice(0, 4));
    expect(never!.lagRecoverSec).toBeNull();
  });
});

describe('ingest.* threshold metrics', () => {
  it('parses the grammar and names what is allowed', () => {
    expect(parseThresholds({ 'ingest.answerLag.p99': '< 5000', 'ingest.dropRatio': '< 0.01', 'ingest.budgetRatio': '<= 1' }).map((s) => s.expr)).toEqual(['ingest.answerLag.p99 < 5000', 'ingest.dropRatio < 0.01', 'ingest.budgetRatio <= 1']);
    expect(() => parseThresholds({ 'ingest.lag': '< 1' })).toThrow(/ingest\.<answerLag\|sendLateness/);
  });
});

describe('long runs', () => {
  it('merges pairs of windows beyond the cap: bounded, whole span kept, counts preserved', async () => {
    const { UploadCollector } = await import('../../src/ingest/upload-collector.js');
    const c = new UploadCollector(8);
    c.startMeasuring();
    for (let i = 0; i < 20; i++) {
      c.frameDropped('buffer_overflow');
      await new Promise((r) => setTimeout(r, 2));
      c.tick(1);
    }
    const snap = c.snapshot();
    expect(snap.ingestSeries.length).toBeLessThanOrEqual(8);
    expect(snap.timeseries.length).toBe(snap.ingestSeries.length);
    expect(snap.ingestSeries.reduce((n, p) => n + p.dropped, 0)).toBe(20);
    expect(snap.timeseries.reduce((n, p) => n + (p.lost ?? 0), 0)).toBe(20);
  });
});
