// CPU time of a process and its direct children (a cluster's workers) from /proc, for CPU per
// frame of a local server. Linux only: undefined elsewhere or when the process is gone.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100;

function statOf(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return { ppid, cpuMs: ((utime + stime) * 1000) / TICKS_PER_SEC };
  } catch {
    return undefined;
  }
}

/** CPU ms used so far by `pid` plus its live direct children; undefined when unreadable. */
export function processTreeCpuMs(pid: number): number | undefined {
  const own = statOf(pid);
  if (!own) return undefined;
  let total = own.cpuMs;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return total;
  }
  for (const e of entries) {
    if (e.charCodeAt(0) < 48 || e.charCodeAt(0) > 57) continue;
    const s = statOf(Number(e));
    if (s && s.ppid === pid) total += s.cpuMs;
  }
  return total;
}

/** This process' CPU time so far, µs (user + system). */
export function ownCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
