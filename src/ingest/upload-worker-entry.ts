// A camera worker process: builds its frame templates from the corpus, runs its slice of an upload
// cell's cameras in its own event loop, and reports phases, windows and its final snapshot.
import { buildTemplates } from './frame-templates.js';
import { UploadPool } from './upload-pool.js';
import type { FromUploadWorker, ToUploadWorker } from './upload-worker-protocol.js';

const send = (msg: FromUploadWorker): void => {
  process.send?.(msg);
};

let pool: UploadPool | undefined;
const abort = new AbortController();

process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => undefined);

process.on('message', (msg: ToUploadWorker) => {
  if (msg.type === 'run') void run(msg);
  else if (msg.type === 'abort') abort.abort();
  else if (msg.type === 'kill') pool?.killClients((n) => msg.indices.filter((i) => i < n));
});

async function run(msg: Extract<ToUploadWorker, { type: 'run' }>): Promise<void> {
  let status: NodeJS.Timeout | undefined;
  try {
    const templates = await buildTemplates(msg.templates);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, msg.startAt - Date.now())));
    const p = new UploadPool({ ...msg.options, templates, signal: abort.signal });
    pool = p;
    p.on('phase', (phase) => send({ type: 'phase', phase, atMs: Date.now() }));
    p.on('tick', (point) => send({ type: 'tick', point }));
    p.on('stage', (index, target) => send({ type: 'stage', index, target }));
    status = setInterval(() => send({ type: 'status', connections: p.connections }), 250);
    const snapshot = await p.run();
    send({ type: 'done', snapshot });
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  } finally {
    if (status) clearInterval(status);
  }
}

send({ type: 'ready' });
