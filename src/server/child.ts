// Child-process entry of the embedded server (forked by launcher.ts with IPC): starts the server,
// prewarms the corpus, reports ready, answers stats requests, and shuts down on SIGTERM or when the
// parent goes away. Runs as compiled JS from dist/server/child.js.
import { SECRETS_ENV, type ChildConfig, type ChildMessage, type ChildSecrets, type ParentMessage } from './ipc.js';
import { startReferenceServer, type RunningServer } from './reference-server.js';

function send(msg: ChildMessage): void {
  if (process.connected) process.send?.(msg);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const secrets = JSON.parse(process.env[SECRETS_ENV] ?? '{}') as ChildSecrets;
  delete process.env[SECRETS_ENV];
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = (graceful: boolean): void => {
    if (stopping) return;
    stopping = true;
    void (server ? server.close({ graceful }) : Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop(true));
  process.on('SIGINT', () => {});
  process.on('disconnect', () => stop(false));

  try {
    server = await startReferenceServer({ ...config.options, ...secrets, onLog: (line) => process.stderr.write(`${line}\n`) });
    if (config.prewarm && config.prewarm.length > 0) await server.prewarm(config.prewarm);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`${e.stack ?? e.message}\n`);
    const code = (e as { code?: unknown }).code;
    send({ type: 'error', message: e.message, name: e.name, ...(typeof code === 'string' ? { code } : {}) });
    await server?.close({ graceful: false });
    process.exit(3);
  }
  if (stopping) return;
  const running = server;
  process.on('message', (msg: ParentMessage) => {
    if (msg && msg.type === 'stats') send({ type: 'stats', id: msg.id, stats: running.stats() });
  });
  send({ type: 'ready', url: running.url, port: running.port });
}

await main();
