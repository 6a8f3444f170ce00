// Pure parts of the topology: the generator's pace model, job defaults for foreign gateways, the
// nginx config rendering, flag splitting, topology chaos entries, exact merging of hop histograms.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chaosSchema } from '../../src/chaos/schema.js';
import { splitArgs } from '../../src/cli/topology.js';
import { firstFrameDelayMs, frameIntervalMs, isSlowWorker, PACE_DEFAULTS, parseDistribution } from '../../src/generator/pace.js';
import { createHistogram, recordUs, summarize } from '../../src/metrics/hdr.js';
import { mergeHops } from '../../src/metrics/merge.js';
import { channelFor, normalizeJob } from '../../src/protocol/queue.js';
import { mulberry32 } from '../../src/random.js';
import { NGINX_CONF, renderNginxConf } from '../../src/topology/parts.js';

describe('pace model', () => {
  it('parses distributions with ±, +- or none', () => {
    expect(parseDistribution('800ms ± 200ms')).toEqual({ meanMs: 800, sdMs: 200 });
    expect(parseDistribution('1s+-50ms')).toEqual({ meanMs: 1000, sdMs: 50 });
    expect(parseDistribution('40ms')).toEqual({ meanMs: 40, sdMs: 0 });
    expect(parseDistribution('fast')).toBeUndefined();
    expect(parseDistribution('1s ± 2s ± 3s')).toBeUndefined();
  });

  it('draws first-frame times around the mean, never negative', () => {
    const rng = mulberry32(3);
    const m = { ...PACE_DEFAULTS, firstFrameMeanMs: 800, firstFrameSdMs: 200 };
    const xs = Array.from({ length: 4000 }, () => firstFrameDelayMs(m, rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeGreaterThan(780);
    expect(mean).toBeLessThan(820);
    expect(sd).toBeGreaterThan(180);
    expect(sd).toBeLessThan(220);
    const wide = { ...m, firstFrameMeanMs: 10, firstFrameSdMs: 100 };
    expect(Math.min(...Array.from({ length: 500 }, () => firstFrameDelayMs(wide, rng)))).toBe(0);
  });

  it('paces at perFrame (or 1000/fps) times the slow factor plus jitter', () => {
    const rng = mulberry32(1);
    expect(frameIntervalMs({ ...PACE_DEFAULTS }, 25, 1, rng)).toBe(40);
    expect(frameIntervalMs({ ...PACE_DEFAULTS, perFrameMs: 30 }, 25, 3, rng)).toBe(90);
    const j = frameIntervalMs({ ...PACE_DEFAULTS, perFrameMs: 30, jitterMs: 10 }, 25, 1, rng);
    expect(j).toBeGreaterThanOrEqual(30);
    expect(j).toBeLessThan(40);
    expect(isSlowWorker({ ...PACE_DEFAULTS, slowFraction: 0 }, rng)).toBe(false);
    expect(isSlowWorker({ ...PACE_DEFAULTS, slowFraction: 1 }, rng)).toBe(true);
  });
});

describe('generation jobs', () => {
  it('fills what a foreign gateway leaves out, and rejects what cannot be generated', () => {
    const job = normalizeJob({ requestId: 9, format: 'jpeg', width: 640, height: 480, fps: 30, frames: 10 }, 'video:{requestId}:out', 123);
    expect(job).toEqual({ v: 1, streamId: '9', channel: 'video:9:out', requestId: 9, format: 'jpeg', width: 640, height: 480, quality: 75, fps: 30, frames: 10, fromSeq: 0, attempt: 0, enqueuedUs: 123 });
    expect(normalizeJob({ requestId: 9, format: 'gif', width: 1, height: 1, fps: 1, frames: 1 }, 'x:{requestId}', 0)).toBeUndefined();
    expect(normalizeJob('nope', 'x:{requestId}', 0)).toBeUndefined();
    expect(channelFor('frames:{requestId}', 'gw1-7')).toBe('frames:gw1-7');
  });
});

describe('nginx config', () => {
  it('renders the repository file with the listen address and one server line per gateway', () => {
    const text = renderNginxConf('127.0.0.1:8080', ['127.0.0.1:9001', '127.0.0.1:9002']);
    expect(text).not.toContain('${');
    expect(text).toContain('listen 127.0.0.1:8080;');
    expect(text).toContain('server 127.0.0.1:9001 max_fails=1 fail_timeout=5s;');
    expect(text).toContain('server 127.0.0.1:9002 max_fails=1 fail_timeout=5s;');
    const repo = readFileSync(NGINX_CONF, 'utf8');
    expect(repo).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(repo).toMatch(/hash \$sticky_key consistent;/);
    // Longer than the gateways' 30 s heartbeat.
    expect(Number(/proxy_read_timeout (\d+)s;/.exec(repo)?.[1])).toBeGreaterThan(30);
  });

  it('splits extra flags like a shell for simple quoting', () => {
    expect(splitArgs(`--first-frame '300ms ± 50ms' --concurrency 8 --x "a b"`)).toEqual(['--first-frame', '300ms ± 50ms', '--concurrency', '8', '--x', 'a b']);
    expect(splitArgs(undefined)).toEqual([]);
  });
});

describe('topology chaos entries', () => {
  it('fill their defaults and name what is wrong', () => {
    const list = chaosSchema.parse([{ kind: 'kill-gateway', at: '10s' }, { kind: 'restart-redis' }, { kind: 'kill-generator', restart: 'never' }, { kind: 'slow-generator', factor: 2 }]);
    expect(list[0]).toEqual({ kind: 'kill-gateway', at: '10s', topology: 'reports/topology', restart: '5s' });
    expect(list[1]).toEqual({ kind: 'restart-redis', topology: 'reports/topology', downtime: '1s' });
    expect(list[2]).toMatchObject({ restart: 'never' });
    expect(list[3]).toEqual({ kind: 'slow-generator', topology: 'reports/topology', factor: 2, duration: '10s' });
    expect(chaosSchema.safeParse([{ kind: 'slow-generator', factor: 0.5 }]).success).toBe(false);
    expect(chaosSchema.safeParse([{ kind: 'kill-gateway', index: 0 }]).success).toBe(false);
    expect(chaosSchema.safeParse([{ kind: 'kill-gateway', restart: 'soon' }]).success).toBe(false);
  });
});

describe('hop summaries', () => {
  it('merge exactly through their histograms and stay absent when no part has them', () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 1; i <= 100; i++) recordUs(a, i * 1000);
    for (let i = 101; i <= 200; i++) recordUs(b, i * 1000);
    const merged = mergeHops([{ gatewayToClient: summarize(a) }, { gatewayToClient: summarize(b) }, {}]);
    expect(merged.gatewayToClient?.count).toBe(200);
    expect(merged.gatewayToClient?.max).toBeCloseTo(200, 0);
    expect(merged.queueWait).toBeUndefined();
  });
});

describe('topology faults without a local topology', () => {
  it('are skipped with a reason, not errors', async () => {
    const { ChaosRunner } = await import('../../src/chaos/runner.js');
    const entry = chaosSchema.parse([{ kind: 'kill-gateway', topology: '/nonexistent/fb-topology' }])[0]!;
    const events: Array<{ kind: string; detail: string }> = [];
    const runner = new ChaosRunner([{ atMs: 0, entry, entryIndex: 0, firing: 0, seed: 1 }], { killClients: () => 0 }, (e) => events.push(e));
    runner.start();
    await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('chaos-skipped');
    expect(events[0]!.detail).toContain('no local topology runs from /nonexistent/fb-topology');
  });
});

describe('scenarios/topology.yaml', () => {
  it('loads, soaks in stages, and injects every topology fault inside its window', async () => {
    const { loadScenario } = await import('../../src/scenario/load.js');
    const { scenario } = await loadScenario(new URL('../../scenarios/topology.yaml', import.meta.url).pathname);
    expect(scenario.stages?.length).toBe(3);
    expect(scenario.chaos?.map((c) => c.kind).sort()).toEqual(['kill-gateway', 'kill-generator', 'restart-redis', 'slow-generator']);
    expect(scenario.scrape?.topology).toBe('reports/topology');
  });
});
