import { describe, expect, it } from 'vitest';
import { BucketCounts, LATENCY_BUCKETS_S } from '../../src/live/hdr-buckets.js';
import { LiveMetrics } from '../../src/live/metrics.js';
import { serveMetrics } from '../../src/live/server.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/metrics/hdr.js';
import { parsePromText } from '../../src/soak/prom-text.js';

function window(valuesUs: number[]): string {
  const h = createHistogram();
  for (const v of valuesUs) recordUs(h, v);
  const out = encodeHistogram(h);
  h.destroy();
  return out;
}

describe('live metrics', () => {
  it('fills classic buckets from an HDR window: every value in the first bucket at or above it', () => {
    const b = new BucketCounts();
    b.addEncoded(window([1_000, 4_000, 9_000, 60_000, 60_000, 3_000_000, 30_000_000]));
    const cum = Object.fromEntries(b.cumulative());
    expect(cum['0.005']).toBe(2);
    expect(cum['0.01']).toBe(3);
    expect(cum['0.075']).toBe(5);
    expect(cum['5']).toBe(6);
    expect(cum['10']).toBe(6);
    expect(cum['+Inf']).toBe(7);
    expect(b.count).toBe(7);
    expect(b.sum).toBeGreaterThan(33.1);
    expect(b.sum).toBeLessThan(33.2);
    expect(b.cumulative()).toHaveLength(LATENCY_BUCKETS_S.length + 1);
  });

  it('serves counters, gauges and histograms labelled with run id and shard, parseable as Prometheus text', async () => {
    const m = new LiveMetrics({ run_id: 'r1', shard: '2/4', scenario: 'x' });
    m.window(
      'webp-480p',
      { t: 1, durationSec: 1, framesPerSec: 120, bytesPerSec: 1_000_000, p50: 2, p99: 9, connections: 4, errors: 1, lost: 2, reconnects: 0, hdr: window([2_000, 3_000]), latenessHdr: window([500]), harnessCpuPct: 35, loopDelayP99Ms: 12 },
      4,
    );
    m.window('webp-480p', { t: 2, durationSec: 1, framesPerSec: 100, bytesPerSec: 900_000, p50: 2, p99: 9, connections: 4, errors: 0, lost: 0, reconnects: 1, hdr: window([20_000]) }, 4);
    const ep = await serveMetrics(m, 0, '127.0.0.1');
    try {
      const res = await fetch(ep.url);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const invalid: string[] = [];
      const samples = parsePromText(await res.text(), (_n, reason, line) => invalid.push(`${reason}: ${line}`));
      expect(invalid).toEqual([]);
      const get = (name: string, labels: Record<string, string> = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      expect(get('framebench_frames_received_total')).toMatchObject({ value: 220, labels: { run_id: 'r1', shard: '2/4', cell: 'webp-480p', scenario: 'x' } });
      expect(get('framebench_frames_lost_total')?.value).toBe(2);
      expect(get('framebench_errors_total')?.value).toBe(1);
      expect(get('framebench_reconnects_total')?.value).toBe(1);
      expect(get('framebench_connections')?.value).toBe(4);
      expect(get('framebench_harness_cpu_percent')?.value).toBe(35);
      expect(get('framebench_harness_event_loop_delay_p99_seconds')?.value).toBeCloseTo(0.012, 6);
      expect(get('framebench_frame_latency_seconds_bucket', { le: '0.005' })?.value).toBe(2);
      expect(get('framebench_frame_latency_seconds_bucket', { le: '+Inf' })?.value).toBe(3);
      expect(get('framebench_frame_latency_seconds_count')?.value).toBe(3);
      expect(get('framebench_frame_lateness_seconds_count')?.value).toBe(1);
      expect(samples.some((s) => s.name.startsWith('framebench_process_'))).toBe(true);
      expect((await fetch(ep.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await ep.close();
    }
  });
});
