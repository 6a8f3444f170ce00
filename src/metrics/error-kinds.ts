// Errors by kind, bounded: a kind is a short printable label (a target's error code can be anything it
// likes), and a cell keeps at most MAX_ERROR_KINDS distinct kinds; the rest are counted as `other`.
import { clip } from '../text/sanitize.js';

export const MAX_ERROR_KINDS = 64;
export const MAX_ERROR_KIND_CHARS = 100;
export const OTHER_KIND = 'other';

/** The label stored for a raw kind: control characters replaced, cut to MAX_ERROR_KIND_CHARS. */
export function errorKindLabel(kind: string): string {
  return clip(String(kind), MAX_ERROR_KIND_CHARS) || 'unknown';
}

/** Adds `n` errors of `kind` to `into` within the bounds. */
export function addErrorKind(into: Record<string, number>, kind: string, n = 1): void {
  let label = errorKindLabel(kind);
  if (!Object.hasOwn(into, label) && Object.keys(into).length >= MAX_ERROR_KINDS - (Object.hasOwn(into, OTHER_KIND) ? 0 : 1)) label = OTHER_KIND;
  into[label] = (into[label] ?? 0) + n;
}

/** Sums several errors-by-kind maps within the bounds. */
export function mergeErrorKinds(maps: Iterable<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const m of maps) for (const [k, n] of Object.entries(m)) addErrorKind(out, k, n);
  return { ...out };
}
