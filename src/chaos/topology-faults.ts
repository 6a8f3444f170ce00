// Faults of the local topology (`bench topology up`), found through its state file: kill a gateway
// (clients reconnect through nginx to another and resume from Redis), restart Redis, kill a
// generator mid-stream (gateways retry its streams), slow a generator (backpressure, bounded memory).
import { formatDuration, parseDuration } from '../text/duration.js';
import { respawn, stopPid, waitHealthy } from '../topology/parts.js';
import { readState, writeState, type PartKind, type PartState, type TopologyState } from '../topology/state.js';
import type { ChaosEntryOf } from './schema.js';

export type TopologyFaultEntry = ChaosEntryOf<'kill-gateway'> | ChaosEntryOf<'restart-redis'> | ChaosEntryOf<'kill-generator'> | ChaosEntryOf<'slow-generator'>;

export interface TopologyFaultResult {
  detail: string;
  hit: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** No local topology state: the fault cannot act here (e.g. a compose or remote topology) and is skipped. */
export class NoTopologyError extends Error {}

function load(dir: string): TopologyState {
  const s = readState(dir);
  if (!s) throw new NoTopologyError(`no local topology runs from ${dir} (start one with \`bench topology up --dir ${dir}\` or set the entry's topology field)`);
  return s;
}

/** What the part is busy with: a gateway's open connections, a generator's running generations. */
async function loadOf(p: PartState): Promise<number> {
  try {
    // Generous: a busy part answers slowly, and the busy one is the one to pick.
    const res = await fetch(p.health, { signal: AbortSignal.timeout(3000) });
    const h = (await res.json()) as { connections?: number; active?: number };
    return (p.kind === 'generator' ? h.active : h.connections) ?? 0;
  } catch {
    return -1;
  }
}

/** The part `index` (1-based) of a kind, or by default the busiest gateway or generator. */
async function pick(s: TopologyState, kind: PartKind, index: number | undefined): Promise<PartState> {
  const parts = s.parts.filter((p) => p.kind === kind);
  if (parts.length === 0) throw new Error(`the topology in ${s.dir} has no ${kind}`);
  if (index !== undefined) {
    const p = parts[index - 1];
    if (!p) throw new Error(`index ${index}: the topology has ${parts.length} ${kind}s`);
    return p;
  }
  if (kind !== 'gateway' && kind !== 'generator') return parts[0]!;
  const counts = await Promise.all(parts.map(loadOf));
  return parts[counts.indexOf(Math.max(...counts))]!;
}

/** Kills `p` and, after `downMs`, starts it again on its port and records its new pid. */
async function killAndRestart(s: TopologyState, p: PartState, downMs: number | undefined): Promise<string> {
  await stopPid(p.pid, 'SIGKILL', 0);
  if (downMs === undefined) return `${p.name} (pid ${p.pid}) killed, left down`;
  await sleep(downMs);
  const again = respawn(p);
  const fresh = readState(s.dir) ?? s;
  fresh.parts = fresh.parts.map((x) => (x.name === p.name ? again : x));
  writeState(fresh);
  const t0 = Date.now();
  await waitHealthy(again, 30_000);
  return `${p.name} (pid ${p.pid}) killed, restarted after ${formatDuration(downMs)} as pid ${again.pid}, healthy ${formatDuration(Date.now() - t0)} later`;
}

const restartMs = (v: string | number | undefined): number | undefined => (v === undefined || v === 'never' ? undefined : parseDuration(v));

export async function injectTopologyFault(e: TopologyFaultEntry): Promise<TopologyFaultResult> {
  const s = load(e.topology);
  switch (e.kind) {
    case 'kill-gateway': {
      const p = await pick(s, 'gateway', e.index);
      const held = await loadOf(p);
      const detail = await killAndRestart(s, p, restartMs(e.restart));
      return { detail: `${detail}; it held ${Math.max(0, held)} client connections (they reconnect through nginx and resume from Redis)`, hit: Math.max(0, held) };
    }
    case 'restart-redis': {
      const p = await pick(s, 'redis', undefined);
      const detail = await killAndRestart(s, p, parseDuration(e.downtime) ?? 1000);
      return { detail: `${detail}; queued jobs, stream state and replay windows are gone, frames published meanwhile are lost`, hit: 1 };
    }
    case 'kill-generator': {
      const p = await pick(s, 'generator', e.index);
      const active = Math.max(0, await loadOf(p));
      const detail = await killAndRestart(s, p, restartMs(e.restart));
      return { detail: `${detail}; its ${active} running generations are retried by their gateways or fail`, hit: active };
    }
    case 'slow-generator': {
      const p = await pick(s, 'generator', e.index ?? 1);
      const forMs = parseDuration(e.duration) ?? 10_000;
      const url = `${p.health.replace(/healthz$/, '')}admin/slow?factor=${e.factor}&for=${Math.round(forMs)}`;
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${s.adminToken}` }, signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`${p.name} refused the slowdown: HTTP ${res.status} ${await res.text()}`);
      return { detail: `${p.name} generates ${e.factor}× slower for ${formatDuration(forMs)} (its gateways see the frames late; no buffer grows)`, hit: 1 };
    }
  }
}
