// A client worker process: runs its slice of a cell's clients in its own event loop and reports
// phases, per-second windows (with their histograms) and its final snapshot to the main process.
import { ClientPool } from './pool.js';
import { sleep } from './sleep.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { exitChild } from '../child-env.js';

const send = (msg: FromWorker): void => {
  process.send?.(msg);
};

let pool: ClientPool | undefined;
const abort = new AbortController();
let status: NodeJS.Timeout | undefined;

process.on('disconnect', () => exitChild(0));
process.on('SIGINT', () => undefined);

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'run':
      void run(msg.options, msg.startAt);
      return;
    case 'abort':
      abort.abort();
      return;
    case 'kill': {
      const indices = msg.indices;
      pool?.killClients((n) => indices.filter((i) => i < n));
      return;
    }
  }
});

async function run(options: Extract<ToWorker, { type: 'run' }>['options'], startAt: number): Promise<void> {
  try {
    await sleep(startAt - Date.now(), abort.signal);
    const p = new ClientPool({ ...options, signal: abort.signal });
    pool = p;
    p.on('phase', (phase, atMs) => send({ type: 'phase', phase, atMs }));
    p.on('tick', (point) => send({ type: 'tick', point }));
    p.on('stage', (index) => send({ type: 'stage', index }));
    status = setInterval(() => send({ type: 'status', connections: p.connections }), 250);
    const snapshot = await p.run();
    clearInterval(status);
    send({ type: 'done', snapshot });
  } catch (err) {
    if (status) clearInterval(status);
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

send({ type: 'ready' });
