// Runs an external chaos command (e.g. `kubectl rollout restart …`) through a shell with a timeout.
// Failures are data: the promise always resolves with the exit status and the tail of the combined output.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const OUTPUT_TAIL_BYTES = 2048;

export interface ChaosCommandOptions {
  timeoutMs: number;
  cwd?: string;
  /** Added to (and overriding) the harness's own environment. */
  env?: Record<string, string>;
  /** After SIGTERM on timeout, how long the process group has before SIGKILL (default 2000 ms). */
  killGraceMs?: number;
}

export interface ChaosCommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** Last ≤ 2 KiB of stdout and stderr, interleaved as they arrived. */
  outputTail: string;
  /** Set when the shell itself could not be started. */
  error?: string;
}

/** How long to wait for output pipes to close after the shell exits (a background child may hold them open). */
const PIPE_CLOSE_GRACE_MS = 200;

export function runChaosCommand(cmd: string, options: ChaosCommandOptions): Promise<ChaosCommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let tail = Buffer.alloc(0);
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: string | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const child = spawn(cmd, {
      shell: true,
      detached: true,
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > OUTPUT_TAIL_BYTES) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (timedOut) killGroup('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      const result: ChaosCommandResult = {
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        durationMs: performance.now() - started,
        outputTail: decodeTail(tail),
      };
      if (spawnError !== undefined) result.error = spawnError;
      resolve(result);
    };

    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup('SIGTERM');
        timers.push(setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 2000));
      }, options.timeoutMs),
    );
    child.on('error', (err) => {
      spawnError = err.message;
      if (child.pid === undefined) finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(setTimeout(finish, PIPE_CLOSE_GRACE_MS));
    });
    child.on('close', finish);
  });
}

/** The tail may start inside a multi-byte character; drop the broken start. */
function decodeTail(buf: Buffer): string {
  return buf.toString('utf8').replace(/^\uFFFD+/, '');
}
