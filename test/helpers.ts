// Shared test helpers: a scenario from an object, a corpus cache shared by the test files, the CLI.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateScenario, type LoadedScenario } from '../src/scenario/load.js';

export const TEST_CACHE_DIR = join(tmpdir(), 'framebench-test-cache');
mkdirSync(TEST_CACHE_DIR, { recursive: true });

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'bench.js');

export function tempDir(prefix = 'fb-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function scenario(fields: Record<string, unknown>, file = 'test.yaml'): LoadedScenario {
  return { file, scenario: validateScenario(file, fields) };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bench` as a user would; `onSpawn` can signal the child (e.g. SIGINT mid-run). */
export function runCli(args: string[], opts: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench ${args.join(' ')} did not finish in time\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
