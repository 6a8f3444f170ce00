// Starts the foreign servers of test/fixtures/foreign (which import nothing from framebench) as
// real processes on port 0, and reads what they recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

export interface ForeignServer {
  port: number;
  url: string;
  child: ChildProcess;
  record<T = ServerRecord>(): Promise<T>;
  stop(): Promise<void>;
}

export interface RecordedRequest {
  request_id: string;
  asked: number;
  receivedAt: number;
  frames: number;
  bytes: number;
  frameTimes: number[];
  doneAt: number | null;
}

export interface ServerRecord {
  requests: RecordedRequest[];
  connections: number;
  framesSent: number;
  bytesSent: number;
  messagesByType: Record<string, number>;
  stalls?: Array<{ at: number; ms: number }>;
  refused?: number;
  heartbeats?: number;
}

export const FOREIGN_DIR = join(ROOT, 'test', 'fixtures', 'foreign');
/** Debian's python3 with python3-websockets 10.4 (not a pyenv python on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export function startForeign(command: string, args: string[], timeoutMs = 20_000): Promise<ForeignServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: FOREIGN_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not start: ${err}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('listening')) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({
        port,
        url: `ws://127.0.0.1:${port}`,
        child,
        record: async <T>() => (await (await fetch(`http://127.0.0.1:${port}/record`)).json()) as T,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export const startWsServer = (...extra: string[]): Promise<ForeignServer> => startForeign(process.execPath, ['ws-frames-server.mjs', '--port', '0', ...extra]);

export const startPythonServer = (...extra: string[]): Promise<ForeignServer> => startForeign(SYSTEM_PYTHON, ['py_frames_server.py', '--port', '0', ...extra]);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : Number.NaN;
};
