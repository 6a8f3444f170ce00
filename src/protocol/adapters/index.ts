// Protocol adapter registry: the scenario's `protocol:` value → the adapter clients talk through.
import { DeclarativeAdapter } from './declarative.js';
import { loadModuleAdapter } from './module.js';
import { ReferenceAdapter } from './reference.js';
import type { ProtocolConfig } from './schema.js';
import type { ProtocolAdapter } from './types.js';

export async function createAdapter(config: ProtocolConfig | undefined): Promise<ProtocolAdapter> {
  if (config === undefined || config === 'reference') return new ReferenceAdapter();
  if ('module' in config) return loadModuleAdapter(config);
  return new DeclarativeAdapter(config);
}

/** A short description of the adapter for logs and results. */
export function describeProtocol(config: ProtocolConfig | undefined): string {
  if (config === undefined || config === 'reference') return 'reference';
  if ('module' in config) return `module ${config.module}`;
  return 'declarative';
}

/** ws:// URL with the adapter's query parameters added. */
export function withQuery(url: string, query: Record<string, string | number>): string {
  const keys = Object.keys(query);
  if (keys.length === 0) return url;
  const u = new URL(url);
  for (const k of keys) u.searchParams.set(k, String(query[k]));
  return u.toString();
}
