// `bench serve`: flag validation and the foreground run loop (stopped through an AbortSignal).
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseServeFlags, runServe, serveCommand } from '../../src/cli/serve.js';
import { connect, generate, tempCacheDir } from './helpers.js';

function waitForLine(lines: string[], pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      const line = lines.find((l) => pattern.test(l));
      if (line === undefined) return;
      clearInterval(t);
      resolve(line);
    }, 10);
  });
}

async function parse(args: string[]): Promise<unknown> {
  const cmd = serveCommand().exitOverride();
  return cmd.parseAsync(args, { from: 'user' }).catch((e: unknown) => e);
}

describe('bench serve', () => {
  it('rejects invalid flag values with a UsageError naming the flag', async () => {
    for (const [args, flag] of [
      [['--port', 'http'], '--port'],
      [['--port', '70000'], '--port'],
      [['--delay', '-5'], '--delay'],
      [['--jitter', 'lots'], '--jitter'],
      [['--max-buffer', '1e6'], '--max-buffer'],
      [['--max-message', '10'], '--max-message'],
      [['--heartbeat', '0'], '--heartbeat'],
      [['--resume-grace', '-1'], '--resume-grace'],
      [['--replay-frames', 'all'], '--replay-frames'],
      [['--admin-token', ''], '--admin-token'],
      [['--workers', '0'], '--workers'],
      [['--workers', '65'], '--workers'],
      [['--workers', 'many'], '--workers'],
      [['--max-pixels', '10'], '--max-pixels'],
      [['--resolutions', '99999x1'], '--resolutions'],
      [['--qualities', '0'], '--qualities'],
      [['--max-messages-per-sec', '0'], '--max-messages-per-sec'],
      [['--slow-client', 'soon'], '--slow-client'],
      [['--idle-timeout', '-1'], '--idle-timeout'],
      [['--encode-concurrency', '0'], '--encode-concurrency'],
    ] as const) {
      const err = await parse([...args]);
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain(flag);
    }
  });

  it('maps the limit flags to server options', async () => {
    const cmd = serveCommand().exitOverride();
    let got: unknown;
    cmd.action((flags) => {
      got = parseServeFlags(flags);
    });
    await cmd.parseAsync(['--max-pixels', '409920', '--resolutions', '480p,640x360', '--qualities', '50,75', '--max-messages-per-sec', '200', '--idle-timeout', '0'], { from: 'user' });
    expect(got).toMatchObject({ maxPixels: 409920, resolutions: ['480p', '640x360'], qualities: [50, 75], maxMessagesPerSec: 200, idleTimeoutMs: 0, slowClientMs: 10_000, maxCorpusEntries: 32 });
  });

  it('maps the resume and admin flags to server options', () => {
    const base = { port: '0', host: '127.0.0.1', delay: '0', jitter: '0', maxBuffer: '1024', maxMessage: '4096', heartbeat: '1000' };
    expect(parseServeFlags({ ...base, resumeGrace: '5000', replayFrames: '60', adminToken: 'adm' })).toMatchObject({
      resumeGraceMs: 5000,
      replayFrames: 60,
      adminToken: 'adm',
    });
    expect(parseServeFlags({ ...base, resumeGrace: '0', replayFrames: '0' }).workers).toBe(1);
    expect(parseServeFlags({ ...base, resumeGrace: '0', replayFrames: '0', workers: '3' }).workers).toBe(3);
    expect(parseServeFlags({ ...base, resumeGrace: '0', replayFrames: '0', workers: 'auto' }).workers).toBe(Math.min(64, availableParallelism()));
  });

  it('serves in the foreground, prints the URL and stats, and stops gracefully', async () => {
    const cache = tempCacheDir();
    const lines: string[] = [];
    const ac = new AbortController();
    const running = runServe({ port: 0, cacheDir: cache.dir, corpusFrames: 4 }, { out: (l) => lines.push(l), err: () => {}, signal: ac.signal, statsEveryMs: 100 });
    try {
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (lines.some((l) => l.includes('listening on'))) {
            clearInterval(t);
            resolve();
          }
        }, 10);
      });
      const url = /listening on (\S+)/.exec(lines[0]!)![1]!;
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
      const c = await connect(url);
      c.send(generate(1, { frames: 5 }));
      await c.next('done', 1);
      await new Promise((r) => setTimeout(r, 250));
      expect(lines.some((l) => /frames 5 sent, 0 dropped/.test(l))).toBe(true);
      ac.abort();
      const final = await running;
      expect(final).toMatchObject({ framesSent: 5, connections: 0 });
      expect(await c.closed()).toBe(1001);
      expect(lines.at(-1)).toMatch(/stopped/);
    } finally {
      ac.abort();
      cache.remove();
    }
  });

  it('--workers 2: one URL and port, every stream served, cluster totals in the stats lines, 1001 on stop', async () => {
    const cache = tempCacheDir();
    const lines: string[] = [];
    const ac = new AbortController();
    const running = runServe({ port: 0, cacheDir: cache.dir, corpusFrames: 4, workers: 2 }, { out: (l) => lines.push(l), err: () => {}, signal: ac.signal, statsEveryMs: 100 });
    try {
      const url = /listening on (\S+)/.exec(await waitForLine(lines, /listening on/))![1]!;
      expect(lines.filter((l) => l.includes('listening on'))).toHaveLength(1);
      const port = new URL(url).port;
      expect(lines.find((l) => /2 worker processes share port/.test(l))).toContain(`port ${port} (pids `);
      const clients = await Promise.all(Array.from({ length: 6 }, () => connect(url)));
      clients.forEach((c, i) => c.send(generate(i + 1, { frames: 5 })));
      for (const [i, c] of clients.entries()) expect(await c.next('done', i + 1)).toMatchObject({ frames: 5 });
      await waitForLine(lines, /connections 6 .*frames 30 sent, 0 dropped/);
      ac.abort();
      const final = await running;
      expect(final).toMatchObject({ framesSent: 30, connections: 0 });
      for (const c of clients) expect(await c.closed()).toBe(1001);
      expect(lines.at(-1)).toMatch(/stopped .*frames 30 sent/);
    } finally {
      ac.abort();
      await running.catch(() => undefined);
      cache.remove();
    }
  });
});
