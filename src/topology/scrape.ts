// What a soak scrapes from a local topology (scenario `scrape.topology: DIR`): every gateway's and
// generator's /metrics, and the series that show queue depth, generator utilisation, backpressure
// and retries over time.
import { resolve } from 'node:path';
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

/** Nothing to scrape (and a warning saying why) when no local topology runs from `dir`, e.g. under docker compose. */
export function topologyScrape(dir: string): { urls: string[]; series: string[]; warning?: string } {
  const s = readState(resolve(dir));
  if (!s) return { urls: [], series: [], warning: `scrape.topology: no local topology runs from ${dir} (start one with \`bench topology up --dir ${dir}\`); its parts are not scraped` };
  const urls = s.parts.filter((p) => p.kind === 'gateway' || p.kind === 'generator').map((p) => p.health.replace(/healthz$/, 'metrics'));
  return { urls, series: [...TOPOLOGY_SERIES] };
}
