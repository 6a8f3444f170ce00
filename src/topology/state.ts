// The running topology as written to DIR/topology.json by `bench topology up`: every part with its
// pid, port, health URL and log file, so `status`, `down` and chaos can find them from any process.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

export type PartKind = 'redis' | 'gateway' | 'generator' | 'nginx';

export interface PartState {
  name: string;
  kind: PartKind;
  pid: number;
  /** Listening port (redis, gateway WebSocket, nginx; the generator's HTTP port). */
  port: number;
  /** HTTP health URL; for redis: redis://… */
  health: string;
  log: string;
  /** How to start it again (restart faults). */
  command: string;
  args: string[];
}

export interface TopologyState {
  schema: 'framebench/topology@1';
  dir: string;
  startedAt: string;
  /** ws:// URL of nginx: what load tests target. */
  url: string;
  redisUrl: string;
  /** Bearer token of the generators' POST /admin/slow. */
  adminToken: string;
  parts: PartState[];
}

export const STATE_FILE = 'topology.json';

export function statePath(dir: string): string {
  return join(dir, STATE_FILE);
}

export function writeState(s: TopologyState): void {
  const file = statePath(s.dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(s, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readState(dir: string): TopologyState | undefined {
  const file = statePath(dir);
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as TopologyState;
    if (s.schema !== 'framebench/topology@1' || !Array.isArray(s.parts)) throw new Error('not a topology state file');
    return s;
  } catch (err) {
    throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)} (remove it, or run \`bench topology down --dir ${dir}\`)`);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
