// Starting and stopping the topology's processes: free loopback ports, detached children with their
// output in one log file each, the nginx config rendered from deploy/nginx.conf, and health waits.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../child-env.js';
import { TargetError } from '../errors.js';
import { isAlive, type PartKind, type PartState } from './state.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_BIN = join(REPO_ROOT, 'bin', 'bench.js');
export const NGINX_CONF = join(REPO_ROOT, 'deploy', 'nginx.conf');
export const REDIS_CONF = join(REPO_ROOT, 'deploy', 'redis.conf');

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a detached process with stdout and stderr appended to `log`. */
export function spawnPart(name: string, kind: PartKind, command: string, args: string[], log: string, port: number, health: string): PartState {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: childEnv() });
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      const hint = kind === 'redis' || kind === 'nginx' ? ` (install it: apt-get install ${kind === 'redis' ? 'redis-server' : 'nginx'}, or pass its path)` : '';
      throw new TargetError(`cannot start ${name}: ${command} was not found or could not run${hint}`);
    }
    child.unref();
    return { name, kind, pid: child.pid, port, health, log, command, args };
  } finally {
    closeSync(fd);
  }
}

/** Restarts a stopped part with the same command (same port). */
export function respawn(p: PartState): PartState {
  return spawnPart(p.name, p.kind, p.command, p.args, p.log, p.port, p.health);
}

/** deploy/nginx.conf with its placeholders filled in. */
export function renderNginxConf(listen: string, gateways: string[], template = readFileSync(NGINX_CONF, 'utf8')): string {
  const servers = gateways.map((g) => `server ${g} max_fails=1 fail_timeout=5s;`).join('\n    ');
  return template.split('${FRAMEBENCH_LISTEN}').join(listen).split('${FRAMEBENCH_GATEWAYS}').join(servers);
}

export function writeNginxConf(dir: string, port: number, gateways: string[]): string {
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, renderNginxConf(`127.0.0.1:${port}`, gateways));
  return file;
}

/** One inline command over a raw socket (no client library, so status works even when Redis misbehaves); the first reply line. */
export function redisInline(port: number, command: string, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (line: string | undefined): void => {
      s.destroy();
      resolve(line);
    };
    s.setTimeout(timeoutMs, () => done(undefined));
    s.once('error', () => done(undefined));
    s.connect(port, '127.0.0.1', () => s.write(`${command}\r\n`));
    s.once('data', (d) => done(d.toString().split('\r\n')[0]));
  });
}

export async function redisPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return (await redisInline(port, 'PING', timeoutMs)) === '+PONG';
}

export async function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export async function partHealthy(p: PartState): Promise<boolean> {
  if (!isAlive(p.pid)) return false;
  return p.kind === 'redis' ? redisPing(p.port) : httpOk(p.health);
}

const tail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n').trim();
  } catch {
    return '';
  }
};

/** Waits until the part answers its health check; fails naming the part and quoting its log. */
export async function waitHealthy(p: PartState, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await partHealthy(p)) return;
    if (!isAlive(p.pid)) throw new TargetError(`${p.name} exited while starting; its log (${p.log}) ends with:\n${tail(p.log)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TargetError(`${p.name} did not become healthy in ${timeoutMs} ms (${p.health}); its log (${p.log}) ends with:\n${tail(p.log)}`);
}

/** SIGTERM (or SIGKILL), then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  const send = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  send(signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) send('SIGKILL');
  const hard = Date.now() + 2000;
  while (isAlive(pid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
}
