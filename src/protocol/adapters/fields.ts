// Compiled readers for what a declarative adapter points at: dotted JSON paths, { field: value }
// matchers, numbers at a byte offset of a binary message, timestamps in a given unit.
import type { BinaryType, TimeUnit } from './schema.js';

export type JsonGetter = (msg: unknown) => unknown;

export function jsonPath(path: string): JsonGetter {
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0] as string;
    return (msg) => (msg !== null && typeof msg === 'object' ? (msg as Record<string, unknown>)[key] : undefined);
  }
  return (msg) => {
    let v: unknown = msg;
    for (const p of parts) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  };
}

export type Matcher = (msg: unknown) => boolean;

export function jsonMatcher(spec: Record<string, string | number | boolean | null>): Matcher {
  const checks = Object.entries(spec).map(([path, want]) => ({ get: jsonPath(path), want }));
  return (msg) => {
    for (const c of checks) {
      const got = c.get(msg);
      if (got !== c.want && !(typeof got !== typeof c.want && got !== undefined && String(got) === String(c.want))) return false;
    }
    return true;
  };
}

export const BINARY_SIZES: Record<BinaryType, number> = { u8: 1, u16be: 2, u16le: 2, u32be: 4, u32le: 4, u64be: 8, u64le: 8, f32be: 4, f32le: 4, f64be: 8, f64le: 8 };

/** Reads a number at an offset without allocating (u64 as two u32 halves; exact up to 2^53). */
export function binaryReader(type: BinaryType, offset: number): (buf: Buffer) => number {
  switch (type) {
    case 'u8':
      return (b) => b.readUInt8(offset);
    case 'u16be':
      return (b) => b.readUInt16BE(offset);
    case 'u16le':
      return (b) => b.readUInt16LE(offset);
    case 'u32be':
      return (b) => b.readUInt32BE(offset);
    case 'u32le':
      return (b) => b.readUInt32LE(offset);
    case 'u64be':
      return (b) => b.readUInt32BE(offset) * 4294967296 + b.readUInt32BE(offset + 4);
    case 'u64le':
      return (b) => b.readUInt32LE(offset + 4) * 4294967296 + b.readUInt32LE(offset);
    case 'f32be':
      return (b) => b.readFloatBE(offset);
    case 'f32le':
      return (b) => b.readFloatLE(offset);
    case 'f64be':
      return (b) => b.readDoubleBE(offset);
    case 'f64le':
      return (b) => b.readDoubleLE(offset);
  }
}

const TO_US: Record<TimeUnit, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

export const toMicros = (value: number, unit: TimeUnit): number => value * TO_US[unit];

/** A JSON value as a timestamp in µs (numbers in the unit given; ISO strings too); NaN when absent. */
export function jsonTimeUs(v: unknown, unit: TimeUnit): number {
  if (typeof v === 'number') return toMicros(v, unit);
  if (typeof v === 'string') {
    const n = Number(v);
    if (Number.isFinite(n)) return toMicros(n, unit);
    const t = Date.parse(v);
    return Number.isNaN(t) ? Number.NaN : t * 1000;
  }
  return Number.NaN;
}

export function jsonSeq(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : -1;
}

export function jsonId(v: unknown): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** Decoded size of a base64 string, without decoding it. */
export function base64Bytes(s: string): number {
  let pad = 0;
  if (s.endsWith('==')) pad = 2;
  else if (s.endsWith('=')) pad = 1;
  return Math.max(0, Math.floor((s.length * 3) / 4) - pad);
}
