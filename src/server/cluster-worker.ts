// Entry of one cluster worker (forked by cluster-primary.ts through node:cluster; runs as compiled JS
// from dist/server/cluster-worker.js): serves the reference server on the shared port, answers the
// primary's stats/drop calls for itself, asks the primary when /admin/* or /metrics need cluster
// totals, and closes on the primary's shutdown notice (graceful: streams end with 1001) or when the
// primary goes away. SIGINT is ignored: a terminal's Ctrl-C reaches the whole process group and the
// primary decides.
import { FramebenchError } from '../errors.js';
import type { DropAmount } from './admin-http.js';
import { SECRETS_ENV, type ChildSecrets } from './ipc.js';
import { CALL_TIMEOUT_MS, CallChannel, WORKER_CONFIG_ENV, type PrimaryMethods, type PrimaryNotice, type WorkerConfig, type WorkerMethods, type WorkerNotice } from './cluster-ipc.js';
import { startReferenceServer, type RunningServer } from './reference-server.js';
import { exitChild } from '../child-env.js';

function send(msg: unknown, done?: () => void): boolean {
  if (!process.connected || !process.send) {
    done?.();
    return false;
  }
  return process.send(msg, undefined, undefined, () => done?.());
}

/** Longer than the primary's own calls to the workers, so a slow worker does not fail the whole answer. */
const ASK_PRIMARY_MS = CALL_TIMEOUT_MS + 2000;

const notify = (msg: WorkerNotice, done?: () => void): boolean => send(msg, done);

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? '{}') as WorkerConfig;
  const secrets = JSON.parse(process.env[SECRETS_ENV] ?? '{}') as ChildSecrets;
  delete process.env[SECRETS_ENV];
  let server: RunningServer | undefined;
  let stopping = false;
  const channel = new CallChannel<WorkerMethods, PrimaryMethods>((msg) => send(msg), {
    stats: () => {
      if (!server) throw new Error('worker is not serving yet');
      return server.stats();
    },
    drop: (amount) => {
      if (!server) throw new Error('worker is not serving yet');
      return server.drop(amount);
    },
  });
  const stop = (graceful: boolean): void => {
    if (stopping) return;
    stopping = true;
    void (server ? server.close({ graceful }) : Promise.resolve()).finally(() => {
      if (!server) return exitChild(0);
      notify({ type: 'final', stats: server.stats() }, () => exitChild(0));
    });
  };
  process.on('message', (msg: PrimaryNotice | unknown) => {
    if (channel.receive(msg)) return;
    const m = msg as Partial<PrimaryNotice> | null;
    if (m?.type === 'shutdown') stop(m.graceful !== false);
  });
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => stop(true));
  process.on('disconnect', () => {
    channel.close('the cluster primary went away');
    stop(false);
  });

  try {
    const cluster = {
      stats: () => channel.call('clusterStats', undefined, ASK_PRIMARY_MS),
      drop: (amount: DropAmount) => channel.call('clusterDrop', amount, ASK_PRIMARY_MS),
    };
    server = await startReferenceServer({ ...config.options, ...secrets, onLog: (line) => process.stderr.write(`${line}\n`) }, { cluster });
    if (config.prewarm && config.prewarm.length > 0) await server.prewarm(config.prewarm);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    if (!(e instanceof FramebenchError)) process.stderr.write(`${e.stack ?? e.message}\n`);
    const code = (e as { code?: unknown }).code;
    await server?.close({ graceful: false });
    notify({ type: 'start-error', message: e.message, ...(typeof code === 'string' ? { code } : {}) }, () => exitChild(3));
    return;
  }
  if (!stopping) notify({ type: 'ready', url: server.url, port: server.port });
}

await main();
