// /proc readers for the benchmarks: a process and its descendants, their CPU time, resident memory
// and how long their main threads sat runnable but waiting for a CPU (the machine's share of a stall).
import { readdirSync, readFileSync } from 'node:fs';

const TICK_SEC = 0.01; // USER_HZ is 100 on Linux

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), rssPages: Number(fields[21]) };
  } catch {
    return undefined;
  }
}

/** Seconds the main thread of `pid` was runnable but waiting for a CPU (schedstat run_delay). */
function runQueueWaitSec(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return 0;
  }
}

/** `root` and every process below it. */
export function treePids(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/** CPU seconds (user + system), resident bytes and run-queue wait of the process tree under `root`, now. */
export function treeUsage(root) {
  let cpuSec = 0;
  let userSec = 0;
  let rss = 0;
  let waitSec = 0;
  for (const pid of treePids(root)) {
    const s = stat(pid);
    if (!s) continue;
    waitSec += runQueueWaitSec(pid);
    cpuSec += (s.utime + s.stime) * TICK_SEC;
    userSec += s.utime * TICK_SEC;
    rss += s.rssPages * 4096;
  }
  return { cpuSec, userSec, rss, waitSec };
}

/** The 1-minute load average, for the record beside each measurement. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
