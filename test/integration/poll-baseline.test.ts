import { describe, expect, it } from 'vitest';
import { baselineFailure, planPollBaseline } from '../../src/cli/poll-baseline.js';
import type { PollBaselineResult } from '../../src/runner/poll-baseline.js';
import { runCli, TEST_CACHE_DIR } from '../helpers.js';

const flags = { format: 'webp', resolution: '480p', quality: '75', connections: '10', duration: '10s', pipelining: '1', cacheDir: '/tmp/x' };

describe('bench poll-baseline', () => {
  it('drives the embedded server with autocannon: frame answers carry the frame, empty ones do not, server CPU per request', async () => {
    const r = await runCli(['poll-baseline', '--duration', '1s', '--connections', '2', '--format', 'jpeg', '--resolution', '320x240', '--json', '--cache-dir', TEST_CACHE_DIR], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as PollBaselineResult;
    expect(result.embeddedServer).toBe(true);
    const [frame, empty] = result.rows;
    expect(frame).toMatchObject({ format: 'jpeg', resolution: '320x240', kind: 'frame', non2xx: 0, errors: 0 });
    expect(empty).toMatchObject({ kind: 'empty', non2xx: 0, errors: 0 });
    expect(frame!.requests).toBeGreaterThan(10);
    expect(empty!.requests).toBeGreaterThan(10);
    expect(frame!.bytesPerRequest).toBeGreaterThan(2000);
    expect(empty!.bytesPerRequest).toBeLessThan(400);
    expect(frame!.serverCpuMsPerRequest).toBeGreaterThan(0);
    expect(frame!.latencyMs.p99).toBeGreaterThanOrEqual(frame!.latencyMs.p50);
  }, 150_000);

  it('rejects bad flags with the flag and what is allowed', () => {
    expect(() => planPollBaseline({ ...flags, format: 'gif' })).toThrow('--format gif: unknown format; allowed: webp, jpeg, png');
    expect(() => planPollBaseline({ ...flags, duration: '0s' })).toThrow(/--duration 0s: expected a duration from 1s to 10m/);
    expect(() => planPollBaseline({ ...flags, connections: '0' })).toThrow('--connections 0: expected a whole number from 1 to 1000');
    expect(() => planPollBaseline({ ...flags, target: 'http://x' })).toThrow(/expected a ws:\/\/ or wss:\/\/ URL/);
    expect(planPollBaseline({ ...flags, format: 'webp,jpg' }).formats).toEqual(['webp', 'jpeg']);
  });

  it('fails closed: no answers, errors or non-2xx make the run fail with a reason', () => {
    const row = {
      format: 'webp' as const,
      resolution: '480p',
      quality: 75,
      kind: 'frame' as const,
      requestsPerSec: 0,
      requests: 0,
      bytesPerRequest: 0,
      latencyMs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      non2xx: 0,
      errors: 0,
      timeouts: 0,
    };
    const base: PollBaselineResult = { target: 'ws://x/', embeddedServer: false, connections: 1, pipelining: 1, durationSec: 1, rows: [] };
    expect(baselineFailure(base)).toBe('no measurement ran');
    expect(baselineFailure({ ...base, rows: [row] })).toBe('webp 480p frame: 0 requests, 0 non-2xx, 0 errors');
    expect(baselineFailure({ ...base, rows: [{ ...row, requests: 5 }] })).toBeUndefined();
  });
});
