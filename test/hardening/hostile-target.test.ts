// A hostile target (a plain Node `ws` server, nothing from framebench) answers every request with
// error codes full of terminal escape sequences, thousands of distinct ones. Nothing it sends may
// reach the terminal, summary.md or junit.xml raw, and a cell keeps a bounded set of error kinds.
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { resultsProblem } from '../../src/results/validate.js';
import { runCli, tempDir } from '../helpers.js';

const ESC = '\u001b';
const HOSTILE = `${ESC}[2J${ESC}]0;owned\u0007${ESC}[32mFAKE: all thresholds passed${ESC}[0m\r\u0000`;
let wss: WebSocketServer;
let url: string;
let sent = 0;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; requestId?: number; t0?: number };
      if (msg.type === 'clock') return ws.send(JSON.stringify({ type: 'clock', t0: msg.t0, t1: Date.now() * 1000 }));
      if (msg.type !== 'generate') return;
      for (let i = 0; i < 40; i++) ws.send(JSON.stringify({ type: 'error', code: `${sent++}${HOSTILE}${'x'.repeat(300)}`, message: HOSTILE }));
      ws.send(JSON.stringify({ type: 'error', code: HOSTILE, message: HOSTILE, requestId: msg.requestId }));
    });
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

describe('a target that writes escape sequences', () => {
  it('reaches no output raw, and error kinds stay bounded', async () => {
    const dir = tempDir('fb-hostile-target-');
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, 'clients: 2\nrampUp: 100ms\nwarmup: 0s\nduration: 1500ms\ndrainTimeout: 200ms\n');
    const out = join(dir, 'out');
    const junit = join(dir, 'junit.xml');
    const r = await runCli(['run', scenario, '--target', url, '--out', out, '--junit', junit, '--workers', '0']);
    expect([0, 1]).toContain(r.code);
    expect(sent).toBeGreaterThan(200);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { cells: Array<{ errorsByKind: Record<string, number> }> };
    expect(resultsProblem(results)).toBeUndefined();
    const kinds = results.cells[0]!.errorsByKind;
    expect(Object.keys(kinds).length).toBeLessThanOrEqual(64);
    expect(kinds.other).toBeGreaterThan(0);
    for (const k of Object.keys(kinds)) expect(k.length).toBeLessThanOrEqual(100);
    for (const text of [r.stdout, r.stderr, readFileSync(join(out, 'summary.md'), 'utf8'), readFileSync(junit, 'utf8'), JSON.stringify(kinds)]) {
      expect(text).not.toContain(ESC);
      expect(text).not.toContain('\u0007');
      expect(text).not.toContain('\u0000');
    }
    expect(r.stdout.split('\n').every((line) => line.length < 20_000)).toBe(true);
  }, 60_000);
});
