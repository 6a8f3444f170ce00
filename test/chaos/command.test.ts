import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OUTPUT_TAIL_BYTES, runChaosCommand } from '../../src/chaos/command.js';

describe('chaos command', () => {
  it('reports a successful command with its output', async () => {
    const r = await runChaosCommand('echo restarting; echo done >&2', { timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    expect(r.outputTail).toBe('restarting\ndone\n');
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('turns a failing command (exit 3) into a result, not an error', async () => {
    const r = await runChaosCommand('echo "deployment not found" >&2; exit 3', { timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(r.outputTail).toContain('deployment not found');
  });

  it('kills the process group of a command that times out (sleep 5, timeout 200 ms)', async () => {
    const r = await runChaosCommand('echo waiting; sleep 5; echo never', { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode === null || r.exitCode !== 0).toBe(true);
    expect(r.signal).toBe('SIGTERM');
    expect(r.durationMs).toBeGreaterThanOrEqual(190);
    expect(r.durationMs).toBeLessThan(1500);
    expect(r.outputTail).toBe('waiting\n');
  });

  it('escalates to SIGKILL when the command ignores SIGTERM', async () => {
    const r = await runChaosCommand(`trap '' TERM; sleep 5`, { timeoutMs: 100, killGraceMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.durationMs).toBeGreaterThanOrEqual(290);
    expect(r.durationMs).toBeLessThan(1500);
  });

  it('keeps only the last 2 KiB of combined output', async () => {
    const r = await runChaosCommand(`i=0; while [ $i -lt 500 ]; do echo "line $i"; i=$((i+1)); done; echo END >&2`, { timeoutMs: 5000 });
    expect(r.exitCode).toBe(0);
    expect(Buffer.byteLength(r.outputTail)).toBeLessThanOrEqual(OUTPUT_TAIL_BYTES);
    expect(r.outputTail.endsWith('line 499\nEND\n')).toBe(true);
    expect(r.outputTail).not.toContain('line 1\n');
  });

  it('passes cwd and env, and reports an unknown command as exit 127', async () => {
    const r = await runChaosCommand('pwd; echo "$CHAOS_TARGET"', { timeoutMs: 5000, cwd: tmpdir(), env: { CHAOS_TARGET: 'staging' } });
    expect(r.outputTail).toBe(`${tmpdir()}\nstaging\n`);
    const missing = await runChaosCommand('definitely-not-a-command-xyz', { timeoutMs: 5000 });
    expect(missing.exitCode).toBe(127);
    expect(missing.outputTail).toMatch(/not found/);
  });

  it('reports a working directory that does not exist as a result with an error', async () => {
    const r = await runChaosCommand('true', { timeoutMs: 5000, cwd: '/nonexistent/dir/for/chaos' });
    expect(r.error).toBeDefined();
    expect(r.exitCode).toBeNull();
  });
});
