// How many client worker processes to use, and whether this machine's limits (open files,
// ephemeral ports) allow the requested clients. The --workers and --source-ips flags are parsed
// in cli/flags.ts.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { TargetError } from '../errors.js';

/** Client count from which `--workers auto` moves clients out of the main process. */
export const AUTO_WORKERS_FROM = 1000;
/** Ephemeral ports one source address has towards one target (32768–60999 on this kind of machine). */
export const PORTS_PER_ADDRESS = 28_000;

/**
 * `auto`: in-process below AUTO_WORKERS_FROM clients; else one worker per core this process may
 * run on (taskset/cgroup affinity), minus one for the embedded server — and in-process when that
 * leaves a single core, where a worker would only add a process, its memory and IPC on that core.
 */
export function resolveWorkers(spec: number | 'auto' | undefined, clients: number, embeddedServer: boolean, cores = availableParallelism()): number {
  if (typeof spec === 'number') return Math.max(0, Math.min(spec, clients));
  if (clients < AUTO_WORKERS_FROM) return 0;
  const n = cores - (embeddedServer ? 1 : 0);
  return n <= 1 ? 0 : n;
}

/** The soft open-file limit of this process, from /proc (undefined where unknown). */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!m) return undefined;
  return m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

export interface CapacityPlan {
  clients: number;
  workers: number;
  embeddedServer: boolean;
  sourceAddresses: number;
  fileLimit?: number;
  /** Processes of the embedded server (connections spread over them). */
  serverWorkers?: number;
}

/** Throws a setup error naming the limit and how to raise it when the plan cannot fit. */
export function checkCapacity(p: CapacityPlan): void {
  const limit = p.fileLimit ?? openFileLimit();
  const perClientProcess = Math.ceil(p.clients / Math.max(1, p.workers)) + 64;
  const perServer = p.embeddedServer ? Math.ceil(p.clients / Math.max(1, p.serverWorkers ?? 1)) + 64 : 0;
  const need = Math.max(perClientProcess, perServer);
  if (limit !== undefined && need > limit) {
    const who = perServer >= perClientProcess ? 'the embedded server process' : 'each client process';
    throw new TargetError(
      `${p.clients} clients need about ${need} open files in ${who}, but the open-file limit is ${limit}: raise it (e.g. \`ulimit -n ${Math.max(65536, need * 2)}\`, or LimitNOFILE= for a systemd service)${perClientProcess >= perServer ? ', or spread clients with --workers' : ', or spread the server with --server-workers'}`,
    );
  }
  const addresses = Math.max(1, p.sourceAddresses);
  if (p.clients > addresses * PORTS_PER_ADDRESS) {
    throw new TargetError(
      `${p.clients} clients need more than the ~${PORTS_PER_ADDRESS} ephemeral ports one source address has towards one target: add source addresses, e.g. --source-ips 127.0.0.2-127.0.0.${Math.min(254, 1 + Math.ceil(p.clients / PORTS_PER_ADDRESS))}`,
    );
  }
}
