// `bench serve --gateway`: the reference server as a gateway in front of Redis and `bench generate`
// workers. Runs until SIGINT/SIGTERM; a graceful stop leaves session streams resumable elsewhere.
import { UsageError } from '../errors.js';
import { startGateway } from '../server/gateway/gateway-server.js';
import type { GatewayOptions } from '../server/gateway/options.js';
import { formatStatsLine } from '../server/stats.js';
import { untilStopped } from './common.js';
import { intFlag } from './flags.js';

export interface GatewayFlags {
  gateway?: boolean;
  redis?: string;
  queue?: string;
  channel?: string;
  gatewayId?: string;
  generatorTimeout?: string;
  maxRetries?: string;
  maxQueue?: string;
}

export interface BaseGatewayOptions {
  host: string;
  port: number;
  token?: string;
  maxBufferBytes: number;
  maxMessageBytes: number;
  heartbeatMs: number;
  resumeGraceMs: number;
}

export function gatewayOptionsOf(f: GatewayFlags, base: BaseGatewayOptions): GatewayOptions {
  if (!f.redis) throw new UsageError('--gateway needs --redis redis://HOST:PORT (the Redis the generators read jobs from)');
  return {
    ...base,
    redisUrl: f.redis,
    queue: f.queue,
    channel: f.channel,
    gatewayId: f.gatewayId,
    generatorTimeoutMs: f.generatorTimeout === undefined ? undefined : intFlag('--generator-timeout', f.generatorTimeout, 100, 600_000),
    maxRetries: f.maxRetries === undefined ? undefined : intFlag('--max-retries', f.maxRetries, 0, 100),
    maxQueue: f.maxQueue === undefined ? undefined : intFlag('--max-queue', f.maxQueue, 1, 10_000_000),
  };
}

export async function runGatewayServe(opts: GatewayOptions, statsEveryMs = 10_000): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  const gw = await startGateway({ ...opts, onLog: (line) => process.stderr.write(`bench serve: ${line}\n`) });
  const http = gw.url.replace(/^ws/, 'http');
  out(`bench serve: gateway ${gw.gatewayId} listening on ${gw.url} (jobs to ${opts.queue ?? 'framebench:generate'} on ${opts.redisUrl.replace(/\/\/[^@]*@/, '//***@')})`);
  out(`bench serve: health at ${http}healthz · metrics at ${http}metrics · Ctrl-C to stop`);
  const ticker = setInterval(() => {
    const s = gw.stats();
    out(`bench serve: ${formatStatsLine(s, undefined, 0)} · retries ${s.gateway.generatorRetries} · failed ${s.gateway.generatorFailures} · pauses ${s.gateway.pauses}`);
  }, statsEveryMs);
  await untilStopped();
  clearInterval(ticker);
  out('bench serve: shutting down (session streams stay resumable on the other gateways)');
  await gw.close({ graceful: true });
  out(`bench serve: stopped · ${formatStatsLine(gw.stats(), undefined, 0)}`);
}
