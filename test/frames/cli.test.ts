// `bench frames`: flag validation, output and the default cache directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { framesCommand, planFrames, type FramesIo, type FramesOptions } from '../../src/cli/frames.js';
import { UsageError } from '../../src/errors.js';
import { defaultCacheDir } from '../../src/frames/corpus.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const defaults: FramesOptions = { format: 'webp,jpeg,png', resolution: '480p,720p,1080p', quality: '75', frames: '60', seed: '1', cacheDir: '/tmp/x' };

function capture(): FramesIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

function usageError(opts: Partial<FramesOptions>): string {
  try {
    planFrames({ ...defaults, ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('planFrames', () => {
  it('expands the defaults into 9 keys, grouped by resolution', () => {
    const plan = planFrames(defaults);
    expect(plan.keys).toHaveLength(9);
    expect(plan.keys.slice(0, 3).map((k) => `${k.format} ${k.width}x${k.height}`)).toEqual(['webp 854x480', 'jpeg 854x480', 'png 854x480']);
    expect(plan.keys.every((k) => k.frames === 60 && k.quality === 75 && k.seed === 1)).toBe(true);
    expect(plan.json).toBe(false);
  });

  it('builds png once per resolution whatever the qualities, accepts jpg and WxH, and drops duplicates', () => {
    const plan = planFrames({ ...defaults, format: 'png,jpg,webp,webp', resolution: '640x360,360p', quality: '50,90' });
    expect(plan.keys.map((k) => `${k.format}:${k.quality}`)).toEqual(['png:50', 'jpeg:50', 'jpeg:90', 'webp:50', 'webp:90']);
  });

  it('names the flag, the bad value and what is allowed', () => {
    expect(usageError({ format: 'webp,gif' })).toBe('--format: unknown format "gif"; allowed: webp, jpeg, png');
    expect(usageError({ format: 'webp,,png' })).toMatch(/^--format: "webp,,png" has an empty item/);
    expect(usageError({ resolution: '999p' })).toMatch(/^--resolution: "999p" is not a preset \(240p, .*\) or WxH between 16x16 and 7680x4320$/);
    expect(usageError({ quality: '0' })).toBe('--quality: "0" is not allowed; expected integers from 1 to 100 (png is lossless and ignores quality)');
    expect(usageError({ quality: '75,high' })).toMatch(/^--quality: "high" is not allowed/);
    expect(usageError({ quality: '101' })).toMatch(/^--quality: "101"/);
    expect(usageError({ frames: '0' })).toBe('--frames: "0" is not allowed; expected an integer from 1 to 1000');
    expect(usageError({ frames: '2.5' })).toMatch(/^--frames: "2.5"/);
    expect(usageError({ seed: '-1' })).toMatch(/^--seed: "-1"/);
    expect(usageError({ cacheDir: ' ' })).toMatch(/^--cache-dir:/);
  });
});

describe('framesCommand', () => {
  it('throws UsageError from the action for a bad value', async () => {
    const io = capture();
    await expect(framesCommand(io).parseAsync(['--format', 'gif'], { from: 'user' })).rejects.toThrow(UsageError);
  });

  it('reports unknown options as a commander error (exit code 2 in main)', async () => {
    const io = capture();
    await expect(framesCommand(io).parseAsync(['--colour', 'red'], { from: 'user' })).rejects.toThrow(CommanderError);
    expect(io.stderr).toMatch(/unknown option '--colour'/);
  });

  it('has help text listing every option', () => {
    const help = framesCommand(capture()).helpInformation();
    for (const flag of ['--format', '--resolution', '--quality', '--frames', '--cache-dir', '--json']) expect(help).toContain(flag);
  });

  it('builds, then reuses, and prints JSON rows', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'framebench-cli-'));
    dirs.push(cacheDir);
    const args = ['--resolution', '160x90', '--frames', '3', '--cache-dir', cacheDir, '--json'];
    const first = capture();
    await framesCommand(first).parseAsync(args, { from: 'user' });
    const rows = JSON.parse(first.stdout) as { format: string; psnr: number | null; cached: boolean; resolution: string }[];
    expect(rows.map((r) => [r.format, r.resolution, r.cached])).toEqual([
      ['webp', '160x90', false],
      ['jpeg', '160x90', false],
      ['png', '160x90', false],
    ]);
    expect(rows[2]!.psnr).toBeNull();
    expect(first.stderr).toContain('encoding webp 160x90 q75 3/3\n');
    expect(first.stderr).toMatch(/corpus: 3 built, 0 reused/);

    const second = capture();
    await framesCommand(second).parseAsync(args.slice(0, -1), { from: 'user' });
    expect(second.stdout).toMatch(/^format +resolution/);
    expect(second.stdout.match(/reused/g)).toHaveLength(3);
    expect(second.stderr).not.toContain('encoding');
  });
});

describe('defaultCacheDir', () => {
  it('uses XDG_CACHE_HOME when set, else ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/framebench');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'framebench'));
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'framebench'));
  });
});
