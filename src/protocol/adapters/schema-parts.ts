// Pieces the `protocol:` schema is built from (both directions): field paths, matchers, numbers at a
// byte offset, timestamps with a unit.
import { z } from 'zod';

/** Numeric types a binary header field can have (be = big-endian, le = little-endian). */
export const BINARY_TYPES = ['u8', 'u16be', 'u16le', 'u32be', 'u32le', 'u64be', 'u64le', 'f32be', 'f32le', 'f64be', 'f64le'] as const;
export type BinaryType = (typeof BINARY_TYPES)[number];
/** Units of a timestamp: seconds, milliseconds, microseconds or nanoseconds since the Unix epoch. */
export const TIME_UNITS = ['s', 'ms', 'us', 'ns'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Most concurrent streams one connection may carry. */
export const MAX_STREAMS = 64;

export const path = z.string({ error: 'expected a dotted field path, e.g. data or meta.seq' }).regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { error: 'expected a dotted field path, e.g. data or meta.seq' });

/** A JSON message matches when every listed path holds the given value, e.g. { type: done }. */
export const matcher = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'expected a map of field path to value, e.g. { type: done }' });

export const binaryField = z.strictObject({
  offset: z.number({ error: 'expected a byte offset (0 or more)' }).int({ error: 'expected a byte offset (0 or more)' }).min(0, { error: 'expected a byte offset (0 or more)' }),
  type: z.enum(BINARY_TYPES, { error: `expected one of ${BINARY_TYPES.join(', ')}` }),
});

export const binaryTime = binaryField.extend({ unit: z.enum(TIME_UNITS, { error: `expected one of ${TIME_UNITS.join(', ')}` }).default('us') });
export const jsonTime = z.strictObject({ path, unit: z.enum(TIME_UNITS, { error: `expected one of ${TIME_UNITS.join(', ')}` }).default('ms') });
