// HTTP side of a generator process: /healthz, Prometheus /metrics (utilisation, queue depth,
// backpressure) and POST /admin/slow?factor=F&for=MS (chaos: a slow model), then the runner that
// starts worker and listener together.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TargetError } from '../errors.js';
import { hasBearer, sendBody, sendJson, unauthorized } from '../server/http-respond.js';
import type { GeneratorOptions, GeneratorStats } from './options.js';
import { GeneratorWorker } from './worker.js';

export interface RunningGenerator {
  /** http://HOST:PORT/ of /healthz and /metrics. */
  url: string;
  worker: GeneratorWorker;
  close(): Promise<void>;
}

const METRICS: ReadonlyArray<[keyof GeneratorStats, string, 'gauge' | 'counter', string]> = [
  ['capacity', 'framebench_generator_capacity', 'gauge', 'Generations this worker runs at once.'],
  ['active', 'framebench_generator_active', 'gauge', 'Generations running now.'],
  ['queueDepth', 'framebench_generator_queue_depth', 'gauge', 'Jobs waiting in the work queue (LLEN).'],
  ['slowFactor', 'framebench_generator_slow_factor', 'gauge', 'Per-frame time multiplier (1 = normal).'],
  ['jobs', 'framebench_generator_jobs_total', 'counter', 'Jobs taken from the queue.'],
  ['completed', 'framebench_generator_completed_total', 'counter', 'Generations that published every frame.'],
  ['cancelled', 'framebench_generator_cancelled_total', 'counter', 'Generations cancelled by a gateway.'],
  ['orphaned', 'framebench_generator_orphaned_total', 'counter', 'Generations stopped because nobody listened.'],
  ['failed', 'framebench_generator_failed_total', 'counter', 'Jobs that could not run (malformed, no frames).'],
  ['framesPublished', 'framebench_generator_frames_published_total', 'counter', 'Frames published.'],
  ['bytesPublished', 'framebench_generator_bytes_published_total', 'counter', 'Bytes of frames published.'],
  ['publishFailures', 'framebench_generator_publish_failures_total', 'counter', 'Publishes that failed (Redis away): those frames are lost.'],
  ['backpressurePauses', 'framebench_generator_backpressure_pauses_total', 'counter', 'Times a gateway paused a generation (client buffer full).'],
];

export function renderGeneratorMetrics(s: GeneratorStats): string {
  const lines: string[] = [];
  for (const [key, name, type, help] of METRICS) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${s[key]}`);
  lines.push('# HELP framebench_generator_paused_seconds_total Time generations waited on backpressure.', '# TYPE framebench_generator_paused_seconds_total counter');
  lines.push(`framebench_generator_paused_seconds_total ${(s.pausedMs / 1000).toFixed(3)}`);
  lines.push('# HELP framebench_generator_busy_seconds_total Generation-seconds spent (utilisation = rate / capacity).', '# TYPE framebench_generator_busy_seconds_total counter');
  lines.push(`framebench_generator_busy_seconds_total ${(s.busyMs / 1000).toFixed(3)}`);
  lines.push('# HELP framebench_generator_utilisation Running generations over capacity.', '# TYPE framebench_generator_utilisation gauge');
  lines.push(`framebench_generator_utilisation ${s.capacity > 0 ? (s.active / s.capacity).toFixed(4) : 0}`);
  return `${lines.join('\n')}\n`;
}

function slow(req: IncomingMessage, res: ServerResponse, worker: GeneratorWorker, token: string | undefined): void {
  if (token === undefined) return sendJson(res, 404, { error: 'admin is off: start the generator with --admin-token' });
  if (!hasBearer(req, token)) return unauthorized(res);
  const q = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  const factor = Number(q.get('factor') ?? '4');
  const forMs = Number(q.get('for') ?? '5000');
  if (!(factor >= 1 && factor <= 1000) || !(forMs > 0 && forMs <= 3_600_000)) {
    return sendJson(res, 400, { error: 'factor must be 1..1000 and for (ms) 1..3600000' });
  }
  worker.slowDown(factor, forMs);
  sendJson(res, 200, { ok: true, factor, forMs });
}

export async function startGenerator(opts: GeneratorOptions): Promise<RunningGenerator> {
  const worker = new GeneratorWorker(opts);
  const o = worker.options;
  await worker.start();
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/admin/slow' && req.method === 'POST') return slow(req, res, worker, o.adminToken);
    if (path === '/healthz' || path === '/metrics') {
      worker.snapshot().then(
        (s) => (path === '/healthz' ? sendJson(res, 200, { ok: true, worker: o.workerId, pid: process.pid, ...s }) : sendBody(res, 200, 'text/plain; version=0.0.4', renderGeneratorMetrics(s))),
        (err: unknown) => sendBody(res, 500, 'text/plain', String(err)),
      );
      return;
    }
    sendBody(res, 404, 'text/plain', 'framebench generator: GET /healthz, GET /metrics, POST /admin/slow\n');
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => reject(new TargetError(`generator cannot listen on ${o.httpHost}:${o.httpPort}: ${err.message}`)));
    http.listen(o.httpPort, o.httpHost, () => resolve());
  }).catch(async (err: unknown) => {
    await worker.stop();
    throw err;
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://${o.httpHost}:${port}/`,
    worker,
    close: async () => {
      await worker.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
