// Child-process entry of the embedded server (forked by launcher.ts with IPC): starts the server,
// prewarms the corpus, reports ready, answers stats requests, and shuts down on SIGTERM or when the
// parent goes away. With `workers` above 1 it becomes a node:cluster primary (cluster-primary.ts)
// whose stats are the cluster totals. Runs as compiled JS from dist/server/child.js.
import { startClusterServer } from './cluster-primary.js';
import { SECRETS_ENV, type ChildConfig, type ChildMessage, type ChildSecrets, type ParentMessage } from './ipc.js';
import type { ServerStats } from './options.js';
import { startReferenceServer } from './reference-server.js';
import { exitChild } from '../child-env.js';

interface Served {
  url: string;
  port: number;
  stats(): ServerStats | Promise<ServerStats>;
  close(opts: { graceful: boolean }): Promise<void>;
}

function send(msg: ChildMessage): void {
  if (process.connected) process.send?.(msg);
}

async function serve(config: ChildConfig, secrets: ChildSecrets, log: (line: string) => void): Promise<Served> {
  if ((config.options.workers ?? 1) > 1) return startClusterServer({ ...config.options, ...secrets, prewarm: config.prewarm, onLog: log });
  const server = await startReferenceServer({ ...config.options, ...secrets, onLog: log });
  try {
    if (config.prewarm && config.prewarm.length > 0) await server.prewarm(config.prewarm);
  } catch (err) {
    await server.close({ graceful: false });
    throw err;
  }
  return server;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const secrets = JSON.parse(process.env[SECRETS_ENV] ?? '{}') as ChildSecrets;
  delete process.env[SECRETS_ENV];
  let server: Served | undefined;
  let stopping = false;
  const stop = (graceful: boolean): void => {
    if (stopping) return;
    stopping = true;
    void (server ? server.close({ graceful }) : Promise.resolve()).finally(() => exitChild(0));
  };
  process.on('SIGTERM', () => stop(true));
  process.on('SIGINT', () => {});
  process.on('disconnect', () => stop(false));

  try {
    server = await serve(config, secrets, (line) => process.stderr.write(`${line}\n`));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`${e.stack ?? e.message}\n`);
    const code = (e as { code?: unknown }).code;
    send({ type: 'error', message: e.message, name: e.name, ...(typeof code === 'string' ? { code } : {}) });
    exitChild(3);
  }
  if (stopping) {
    await server.close({ graceful: false });
    return;
  }
  const running = server;
  process.on('message', (msg: ParentMessage) => {
    if (msg?.type !== 'stats') return;
    void Promise.resolve(running.stats()).then(
      (stats) => send({ type: 'stats', id: msg.id, stats }),
      () => undefined,
    );
  });
  send({ type: 'ready', url: running.url, port: running.port });
}

await main();
