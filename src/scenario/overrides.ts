// `--set key=value` overrides: values are read as YAML scalars or flow collections, keys may be dotted paths.
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { MAX_NESTING, nestingDepth } from '../input-bounds.js';

export interface Override {
  path: string[];
  value: unknown;
  text: string;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${text}: expected key=value, for example --set clients=500`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === '' ? '' : parseYaml(raw);
  } catch (err) {
    if (/call stack/i.test((err as Error).message)) throw new UsageError(`--set ${key}: the value is nested more than ${MAX_NESTING} levels deep`);
    value = raw;
  }
  if (nestingDepth(value) > MAX_NESTING) throw new UsageError(`--set ${key}: the value is nested more than ${MAX_NESTING} levels deep`);
  const path = key.split('.');
  if (path.length > MAX_NESTING) throw new UsageError(`--set ${key.slice(0, 60)}…: a field path has at most ${MAX_NESTING} parts`);
  if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new UsageError(`--set ${text}: "${key}" is not a valid field path`);
  }
  return { path, value, text };
}

export function applyOverrides(doc: Record<string, unknown>, overrides: Override[]): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(doc);
  for (const { path, value } of overrides) {
    let node: Record<string, unknown> = out;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
  }
  return out;
}
