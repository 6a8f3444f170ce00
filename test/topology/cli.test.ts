// `bench topology up|status|down`, `bench generate` and `bench serve --gateway` as a user runs them.
import { describe, expect, it } from 'vitest';
import { readState, isAlive } from '../../src/topology/state.js';
import { stopPid } from '../../src/topology/parts.js';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';

describe('bench topology', () => {
  it('up prints the target and where logs are, status checks every part, down leaves nothing running', async () => {
    const dir = tempDir('fb-topo-cli-');
    let pids: number[] = [];
    try {
      const up = await runCli(['topology', 'up', '--dir', dir, '--gateways', '2', '--generators', '1', '--cache-dir', TEST_CACHE_DIR], { timeoutMs: 60_000 });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(/up · target ws:\/\/127\.0\.0\.1:\d+\//);
      expect(up.stdout).toContain(`logs, pids and nginx.conf in ${dir}`);
      pids = readState(dir)!.parts.map((p) => p.pid);
      expect(pids).toHaveLength(5);
      const again = await runCli(['topology', 'up', '--dir', dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already running');
      const status = await runCli(['topology', 'status', '--dir', dir, '--json']);
      expect(status.code, status.stdout).toBe(0);
      const s = JSON.parse(status.stdout) as { ok: boolean; websocket: boolean; queueDepth: number; parts: Array<{ healthy: boolean }> };
      expect(s.ok).toBe(true);
      expect(s.websocket).toBe(true);
      expect(s.queueDepth).toBe(0);
      const down = await runCli(['topology', 'down', '--dir', dir], { timeoutMs: 30_000 });
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/stopped nginx, generator-1, gateway-1, gateway-2, redis|stopped nginx, generator-1, gateway-2, gateway-1, redis/);
      expect(pids.filter(isAlive)).toEqual([]);
      const gone = await runCli(['topology', 'status', '--dir', dir]);
      expect(gone.code).toBe(1);
      expect(gone.stdout).toContain('nothing running');
    } finally {
      for (const pid of pids.filter(isAlive)) await stopPid(pid, 'SIGKILL');
    }
  }, 90_000);

  it('generate and serve --gateway explain what they need', async () => {
    const g = await runCli(['generate']);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('needs --redis');
    const bad = await runCli(['generate', '--redis', 'redis://127.0.0.1:1', '--first-frame', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--first-frame must be');
    const down = await runCli(['generate', '--redis', 'redis://127.0.0.1:1']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot connect to Redis at redis://127.0.0.1:1');
    const gw = await runCli(['serve', '--gateway', '--port', '0']);
    expect(gw.code).toBe(2);
    expect(gw.stderr).toContain('--gateway needs --redis');
    const ch = await runCli(['serve', '--gateway', '--port', '0', '--redis', 'redis://127.0.0.1:1', '--channel', 'frames']);
    expect(ch.code).toBe(2);
    expect(ch.stderr).toContain('--channel must contain {requestId}');
  }, 60_000);
});
