// How many client worker processes to use, which local source addresses to spread connections
// over, and whether this machine's limits (open files, ephemeral ports) allow the requested clients.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { TargetError, UsageError } from '../errors.js';

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

export function parseWorkers(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new UsageError(`--workers ${text}: expected "auto" or a whole number from 0 (in-process) to 256`);
  return n;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipToInt(ip: string, flag: string): number {
  const m = IPV4.exec(ip.trim());
  if (!m || m.slice(1).some((p) => Number(p) > 255)) throw new UsageError(`${flag}: "${ip}" is not an IPv4 address`);
  return m.slice(1).reduce((n, p) => n * 256 + Number(p), 0);
}

const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** "127.0.0.2-127.0.0.9" or "127.0.0.2,127.0.0.3" (ranges may be mixed into the list). */
export function parseSourceIps(text: string, flag = '--source-ips'): string[] {
  const out: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [from, to] = part.split('-');
    if (to === undefined) {
      out.push(intToIp(ipToInt(from ?? '', flag)));
      continue;
    }
    const a = ipToInt(from ?? '', flag);
    const b = ipToInt(to, flag);
    if (b < a || b - a > 1024) throw new UsageError(`${flag}: "${part}" must go upwards and span at most 1025 addresses`);
    for (let n = a; n <= b; n++) out.push(intToIp(n));
  }
  if (!out.length) throw new UsageError(`${flag}: expected addresses such as 127.0.0.2-127.0.0.9`);
  return out;
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
