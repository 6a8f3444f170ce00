// What a soak scrapes from a local topology (scenario `scrape.topology: DIR`): every gateway's and
// generator's /metrics, and the series that show queue depth, generator utilisation, backpressure
// and retries over time.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readState } from './state.js';

export const TOPOLOGY_SERIES = [
  'framebench_generator_queue_depth',
  'framebench_generator_utilisation',
  'framebench_generator_active',
  'framebench_generator_busy_seconds_total',
  'framebench_generator_backpressure_pauses_total',
  'framebench_generator_publish_failures_total',
  'framebench_gateway_generator_retries_total',
  'framebench_gateway_pauses_total',
] as const;

export function topologyScrape(dir: string): { urls: string[]; series: string[] } {
  const s = readState(resolve(dir));
  if (!s) throw new UsageError(`scrape.topology: no topology runs from ${dir}; start it with \`bench topology up --dir ${dir}\``);
  const urls = s.parts.filter((p) => p.kind === 'gateway' || p.kind === 'generator').map((p) => p.health.replace(/healthz$/, 'metrics'));
  return { urls, series: [...TOPOLOGY_SERIES] };
}
