// The one text sanitizer and the bounded error kinds.
import { describe, expect, it } from 'vitest';
import { addErrorKind, MAX_ERROR_KINDS, mergeErrorKinds } from '../../src/metrics/error-kinds.js';
import { clip, excerpt, hasControls, stripControls } from '../../src/text/sanitize.js';

describe('stripControls', () => {
  it('replaces C0, DEL, C1 and bidi controls; keeps newlines only when asked', () => {
    expect(stripControls('a\u001b[2Jb\u0007c\u0000d\u009be\u202ef')).toBe('a\ufffd[2Jb\ufffdc\ufffdd\ufffde\ufffdf');
    expect(stripControls('a\nb\tc', true)).toBe('a\nb\ufffdc');
    expect(stripControls('a\nb')).toBe('a\ufffdb');
    expect(hasControls('plain ✓ text')).toBe(false);
    expect(hasControls('nul\u0000')).toBe(true);
  });

  it('clips and excerpts long values', () => {
    expect(clip('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(excerpt('y'.repeat(1_000_000)).length).toBeLessThanOrEqual(48);
    expect(excerpt({ a: 1 })).toBe('an object with 1 fields');
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(excerpt(deep)).toBe('a list of 1');
    expect(excerpt(12.5)).toBe('12.5');
  });
});

describe('error kinds', () => {
  it('keeps at most 64 kinds, the rest under other, each at most 100 printable characters', () => {
    const kinds: Record<string, number> = Object.create(null) as Record<string, number>;
    for (let i = 0; i < 16_000; i++) addErrorKind(kinds, `server_\u001b[31m${i}${'z'.repeat(200)}`);
    addErrorKind(kinds, '__proto__');
    expect(Object.keys(kinds)).toHaveLength(MAX_ERROR_KINDS);
    expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(16_001);
    expect(kinds.other).toBe(16_001 - 63);
    for (const k of Object.keys(kinds)) {
      expect(k.length).toBeLessThanOrEqual(100);
      expect(hasControls(k)).toBe(false);
    }
    const merged = mergeErrorKinds([kinds, { fresh: 5 }, { another: 1 }]);
    expect(Object.keys(merged)).toHaveLength(MAX_ERROR_KINDS);
    expect(merged.other).toBe(16_001 - 63 + 6);
  });
});
