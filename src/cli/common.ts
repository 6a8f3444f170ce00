// Flags shared by the commands that run load, and their translation into scenario overrides.
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { parseOverride, type Override } from '../scenario/overrides.js';
import { targetUrlProblem } from '../scenario/target-url.js';
import { clip } from '../text/sanitize.js';
import { collect } from './flags.js';

export interface LoadFlags {
  target?: string;
  out?: string;
  set: string[];
  clients?: string;
  duration?: string;
  cacheDir?: string;
  quiet?: boolean;
  workers: string;
  sourceIps?: string;
  serverWorkers?: string;
  harnessPause?: string;
  browsers?: string;
}

export function addLoadFlags(cmd: Command): Command {
  return cmd
    .option('-t, --target <url>', 'ws:// or wss:// URL of a running server (default: start the embedded reference server)')
    .option('-o, --out <dir>', 'output folder (default: reports/<run-id>)')
    .option('-s, --set <key=value>', 'override a scenario field, e.g. --set clients=500 --set duration=10s (repeatable)', collect, [])
    .option('-c, --clients <n>', 'shortcut for --set clients=N')
    .option('-d, --duration <duration>', 'shortcut for --set duration=D (measured time, after ramp-up and warm-up)')
    .option('--cache-dir <dir>', 'frame corpus cache folder (default: ~/.cache/framebench)')
    .option('-w, --workers <n|auto>', `client worker processes; 0 runs clients in this process; auto uses ${'0 below 1000 clients, else one per usable core (minus one for the embedded server), 0 when that leaves one core'}`, 'auto')
    .option('--server-workers <n>', 'processes of the embedded reference server (node:cluster); a reconnect may land on another process, where its stream cannot resume')
    .option('--source-ips <addresses>', 'spread connections over local source addresses, e.g. 127.0.0.2-127.0.0.9 or 127.0.0.2,127.0.0.3')
    .option('--harness-pause <duration>', 'flag a window harness-affected when a client event loop stalled longer than this (shortcut for --set harnessPause=D; default 100ms)')
    .option('--browsers <n>', 'viewers in real headless Chromium per cell (shortcut for --set browsers.pages=N; each page opens browsers.streams WebSocket streams)')
    .addOption(new Option('-q, --quiet', 'no progress lines, only the summary'));
}

export function overridesFrom(flags: LoadFlags): Override[] {
  const list = flags.set.map(parseOverride);
  if (flags.clients !== undefined) list.push(parseOverride(`clients=${flags.clients}`));
  if (flags.duration !== undefined) list.push(parseOverride(`duration=${flags.duration}`));
  if (flags.harnessPause !== undefined) list.push(parseOverride(`harnessPause=${flags.harnessPause}`));
  if (flags.browsers !== undefined) list.push(parseOverride(`browsers.pages=${flags.browsers}`));
  return list;
}

export function serverWorkersFrom(flags: LoadFlags): number | undefined {
  if (flags.serverWorkers === undefined) return undefined;
  const n = Number(flags.serverWorkers);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--server-workers ${flags.serverWorkers}: expected a whole number from 1 to 64`);
  if (flags.target) throw new UsageError('--server-workers applies to the embedded server; with --target, start your server with `bench serve --workers N`');
  return n;
}

export function checkTarget(url: string | undefined): void {
  if (url === undefined) return;
  const problem = targetUrlProblem(url);
  if (problem) throw new UsageError(`--target ${clip(url, 80)}: ${problem}`);
}

/** Resolves on the first SIGINT/SIGTERM or when `signal` aborts: how a foreground server waits to stop. */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

/** Aborts on the first SIGINT/SIGTERM (results are still written); a second Ctrl-C ends at once. */
export function interruptSignal(onFirst: () => void): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      dispose();
      process.kill(process.pid, sig);
      return;
    }
    onFirst();
    ac.abort();
  };
  const dispose = (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: ac.signal, dispose };
}
