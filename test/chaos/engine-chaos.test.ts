// Chaos through the whole engine: each injector against the embedded reference server on loopback.
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/results/types.js';
import { runScenario } from '../../src/runner/run-scenario.js';
import { scenario, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const base = {
  clients: 20,
  resolution: '240p',
  fps: 20,
  framesPerRequest: 60,
  rampUp: '300ms',
  warmup: '500ms',
  duration: '6s',
  drainTimeout: '4s',
  corpusFrames: 12,
  reconnect: { base: '50ms', cap: '500ms' },
  heartbeat: { interval: '300ms', timeout: '1s' },
};

async function run(chaos: unknown[], extra: Record<string, unknown> = {}): Promise<CellResult> {
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown): void => void unhandled.push(r);
  process.on('unhandledRejection', onUnhandled);
  try {
    const { results } = await runScenario(scenario({ ...base, ...extra, chaos }), { command: 'run', outDir: tempDir(), cacheDir: TEST_CACHE_DIR });
    expect(unhandled).toEqual([]);
    const cell = results.cells[0]!;
    expect(cell.counts.framesExpected).toBe(cell.counts.framesReceived + cell.counts.framesLost);
    return cell;
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}

describe('chaos through the engine', () => {
  it('kill-clients: sockets die without a close frame, clients reconnect and resume, nothing is lost', async () => {
    // Two firings (1 s, 3 s), each with whole windows after it to recover in before the run ends.
    const cell = await run([{ kind: 'kill-clients', at: '1s', every: '2s', times: 2, fraction: 0.25 }]);
    const kills = cell.events.filter((e) => e.kind === 'kill-clients');
    expect(kills.length).toBe(2);
    expect(kills[0]!.hit).toBe(5);
    expect(cell.counts.reconnects).toBeGreaterThanOrEqual(10);
    expect(cell.counts.resumes).toBeGreaterThanOrEqual(10);
    expect(cell.errorsByKind.closed_1006).toBeGreaterThanOrEqual(10);
    expect(cell.counts.framesLost).toBe(0);
    expect(cell.latencyMs.reconnect?.count).toBe(cell.counts.reconnects);
    expect(cell.chaos?.faults.length).toBe(kills.length);
    expect(cell.chaos?.unrecovered).toBe(0);
  });

  it('drop-connections through the admin channel: reconnects and resumed streams, exact accounting', async () => {
    const cell = await run([{ kind: 'drop-connections', at: '2s', count: 8 }]);
    const drop = cell.events.find((e) => e.kind === 'drop-connections');
    expect(drop?.hit).toBe(8);
    expect(cell.counts.reconnects).toBeGreaterThanOrEqual(8);
    expect(cell.counts.resumes).toBeGreaterThanOrEqual(8);
    expect(cell.counts.framesLost).toBe(0);
  });

  it('restart-server: the harness survives a SIGKILL of the managed server, counts it and recovers', async () => {
    const cell = await run([{ kind: 'restart-server', at: '4s', mode: 'kill', downtime: '500ms' }], { duration: '8s' });
    const restart = cell.events.find((e) => e.kind === 'restart-server');
    expect(restart?.detail).toMatch(/SIGKILL/);
    expect(cell.counts.reconnects).toBeGreaterThanOrEqual(20);
    expect(cell.errorsByKind.server_unknown_request).toBeGreaterThan(0);
    expect(cell.counts.framesLost).toBeGreaterThan(0);
    expect(cell.chaos?.faults[0]?.recoverSec).not.toBeNull();
    const after = cell.timeseries.filter((p) => p.t > 6);
    expect(after.some((p) => p.connections === 20)).toBe(true);
  });

  it('network black hole: sockets stay open, the client heartbeat detects it, clients reconnect', async () => {
    const cell = await run([{ kind: 'network', at: '2s', duration: '2s', blackhole: true }]);
    expect(cell.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['network', 'network-end']));
    expect(cell.errorsByKind.heartbeat_timeout).toBeGreaterThanOrEqual(15);
    expect(cell.counts.reconnects).toBeGreaterThanOrEqual(15);
  });

  it('network latency through the fault proxy shows in frame latency', async () => {
    const cell = await run([{ kind: 'network', at: '0s', latency: '30ms' }], { clients: 5 });
    expect(cell.latencyMs.frame.p50).toBeGreaterThanOrEqual(30);
    expect(cell.latencyMs.frame.p50).toBeLessThan(45);
    expect(cell.counts.framesLost).toBe(0);
  });

  it('a command that fails or times out is an event, not a crash', async () => {
    const cell = await run(
      [
        { kind: 'command', at: '500ms', run: 'echo broken >&2; exit 3' },
        { kind: 'command', at: '1s', run: 'sleep 5', timeout: '300ms' },
      ],
      { clients: 3, duration: '2s' },
    );
    const cmds = cell.events.filter((e) => e.kind === 'command');
    expect(cmds).toHaveLength(2);
    expect(cmds[0]!.detail).toMatch(/exit(ed)?( with)?( code)? 3/);
    expect(cmds[0]!.output).toContain('broken');
    expect(cmds[1]!.detail).toMatch(/timed out/);
  });
});
