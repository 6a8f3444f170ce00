// The HTTP endpoint of live metrics (`--metrics-port`): GET /metrics in Prometheus text format.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TargetError } from '../errors.js';
import type { LiveMetrics } from './metrics.js';

export interface MetricsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(metrics: LiveMetrics, port: number, host = '0.0.0.0'): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new TargetError(`--metrics-port ${port}: cannot listen on ${host}:${port} (${err.code ?? err.message}); choose another port, or 0 for any free one`)));
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${actual}/metrics`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
