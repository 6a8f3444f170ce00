import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEmbeddedServer, type EmbeddedServer } from '../../src/server/launcher.js';
import { runCli, TEST_CACHE_DIR, tempDir } from '../helpers.js';

const dir = tempDir('fb-cli-');
const small = join(dir, 'small.yaml');
writeFileSync(small, 'clients: 5\nrampUp: 200ms\nwarmup: 200ms\nduration: 1s\nframesPerRequest: 10\nresolution: 360p\n');

describe('bench CLI exit codes and messages', () => {
  it('exits 2 and names the file and field for an invalid scenario', async () => {
    const bad = join(dir, 'x.yaml');
    writeFileSync(bad, 'clients: ten\n');
    const r = await runCli(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: clients: expected a positive integer, got "ten"`);
  });

  it('exits 2 for a bad flag value', async () => {
    const r = await runCli(['run', small, '--target', 'http://127.0.0.1:1/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target http://127.0.0.1:1/: expected a ws:// or wss:// URL');
  });

  it('exits 3 with a clear message when the target is unreachable', async () => {
    const r = await runCli(['run', small, '--target', 'ws://127.0.0.1:1/', '--cache-dir', TEST_CACHE_DIR, '--out', join(dir, 'unreachable')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:1\/: ECONNREFUSED \(is the server running\?/);
  });

  it('prints help that explains the command', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--set <key=value>');
    expect(r.stdout).toContain('Exit codes');
  });

  describe('a server that wants a token', () => {
    let server: EmbeddedServer;
    beforeAll(async () => {
      server = await spawnEmbeddedServer({ token: 's3cret', cacheDir: TEST_CACHE_DIR });
    });
    afterAll(() => server.stop());

    it('rejects a client without the token: exit 3 naming HTTP 401', async () => {
      const r = await runCli(['run', small, '--target', server.url, '--cache-dir', TEST_CACHE_DIR, '--out', join(dir, 'token')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('HTTP 401');
    });
  });

  it('runs the scenario with --set and --clients shortcuts, prints the summary and writes results', async () => {
    const out = join(dir, 'ok');
    const r = await runCli(['run', small, '--clients', '8', '--set', 'fps=15', '--cache-dir', TEST_CACHE_DIR, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/frames\/s/);
    expect(r.stdout).toMatch(/first frame p99/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.cells[0].params).toMatchObject({ clients: 8, fps: 15 });
    expect(results.cells[0].counts.connects).toBe(8);
  });

  it('Ctrl-C mid-run stops the load, writes results marked interrupted and exits 130', async () => {
    const out = join(dir, 'interrupted');
    const long = join(dir, 'long.yaml');
    writeFileSync(long, 'clients: 5\nrampUp: 0s\nwarmup: 0s\nduration: 60s\nresolution: 360p\n');
    let sent = false;
    const r = await runCli(['run', long, '--cache-dir', TEST_CACHE_DIR, '--out', out], {
      onStderr: (text, child) => {
        if (!sent && text.includes('measure')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    });
    expect(r.code).toBe(130);
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.interrupted).toBe(true);
    const c = results.cells[0].counts;
    expect(c.framesExpected).toBe(c.framesReceived + c.framesLost);
    expect(c.framesReceived).toBeGreaterThan(0);
  });
});
