// `bench serve --ingest` and `bench serve --model-api` as a user runs them: real processes, port 0,
// a camera written with plain `ws`, SIGINT to stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BIN, ROOT, runCli } from '../helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function serve(args: string[]): Promise<{ child: ChildProcess; out: string[]; line(re: RegExp): Promise<string>; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out: string[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(...String(d).split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = (re: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} in ${JSON.stringify(out)}`)), 15_000);
      const t = setInterval(() => {
        const l = out.find((x) => re.test(x));
        if (l === undefined) return;
        clearInterval(t);
        clearTimeout(timer);
        resolve(l);
      }, 20);
    });
  return Promise.resolve({ child, out, line, exited });
}

describe('bench serve --ingest / --model-api', () => {
  it('runs the ingestion server with its embedded mock, answers a camera, prints its count on Ctrl-C', async () => {
    const s = await serve(['--ingest', '--port', '0', '--interval', '100', '--batch-size', '2']);
    const url = /listening on (ws:\/\/\S+)/.exec(await s.line(/ingestion server listening on/))![1]!;
    await s.line(/embedded mock/);
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    const answers: Array<{ seqs: number[] }> = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; seqs: number[] };
      if (m.type === 'answer') answers.push(m);
    });
    const data = Buffer.from([0xff, 0xd8, 1, 2, 3]).toString('base64');
    for (let seq = 0; seq < 4; seq++) ws.send(JSON.stringify({ type: 'frame', seq, capturedAt: Date.now(), data }));
    ws.send('{"type":"end"}');
    await new Promise<void>((resolve) => ws.on('message', (d) => String(d).includes('"done"') && resolve()));
    expect(answers.flatMap((a) => a.seqs).sort()).toEqual([0, 1, 2, 3]);
    const stats = (await (await fetch(`${url.replace('ws', 'http')}stats`)).json()) as { framesReceived: number; framesCovered: number };
    expect(stats).toMatchObject({ framesReceived: 4, framesCovered: 4 });
    ws.close();
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.out.join('\n')).toMatch(/stopped · received 4 · answered for 4 · dropped 0/);
  });

  it('runs the mock model API alone and rejects contradictory or bad flags', async () => {
    const s = await serve(['--model-api', '--port', '0', '--rpm', '60']);
    const url = /mock model API at (http:\/\/\S+)/.exec(await s.line(/mock model API at/))![1]!;
    const health = await fetch(url.replace('/v1/chat/completions', '/healthz'));
    expect(health.status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const both = await runCli(['serve', '--ingest', '--model-api', '--port', '0']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--ingest and --model-api start different servers/);
    const bad = await runCli(['serve', '--ingest', '--port', '0', '--batch-size', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--batch-size must be an integer from 1 to 1000/);
  });
});
