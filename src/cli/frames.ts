// `bench frames`: builds (or reuses) the frame corpus and prints the codec table.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { codecTable, defaultCacheDir, formatCodecTable, FrameCorpus, type CorpusKey } from '../frames/corpus.js';
import { FRAME_FORMATS, MAX_FRAMES } from '../frames/key.js';
import { parseResolution, RESOLUTION_HELP, type Dimensions } from '../frames/resolution.js';
import type { FrameFormat } from '../protocol/header.js';

export interface FramesOptions {
  format: string;
  resolution: string;
  quality: string;
  frames: string;
  seed: string;
  cacheDir: string;
  json?: boolean;
}

export interface FramesPlan {
  keys: CorpusKey[];
  cacheDir: string;
  json: boolean;
}

export interface FramesIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Progress redraws one line in place on a terminal, and prints one line per entry otherwise. */
  errIsTTY: boolean;
}

const processIo: FramesIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  errIsTTY: process.stderr.isTTY === true,
};

const FORMAT_ALIASES: Record<string, FrameFormat> = { webp: 'webp', jpeg: 'jpeg', jpg: 'jpeg', png: 'png' };

function splitList(flag: string, value: string, allowed: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(`${flag}: "${value}" has an empty item; expected a comma-separated list of ${allowed}`);
  }
  return [...new Set(items)];
}

function parseIntIn(flag: string, text: string, min: number, max: number, what = `an integer from ${min} to ${max}`): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag}: "${text}" is not allowed; expected ${what}`);
  return n;
}

/** Validates the flags and expands them into corpus keys (per resolution: each format, each quality; png once). */
export function planFrames(opts: FramesOptions): FramesPlan {
  const formatHelp = FRAME_FORMATS.join(', ');
  const formats = splitList('--format', opts.format, formatHelp).map((f) => {
    const format = FORMAT_ALIASES[f.toLowerCase()];
    if (!format) throw new UsageError(`--format: unknown format "${f}"; allowed: ${formatHelp}`);
    return format;
  });
  const resolutions = new Map<string, Dimensions>();
  for (const r of splitList('--resolution', opts.resolution, RESOLUTION_HELP)) {
    const dims = parseResolution(r);
    if (!dims) throw new UsageError(`--resolution: "${r}" is not ${RESOLUTION_HELP}`);
    resolutions.set(`${dims.width}x${dims.height}`, dims);
  }
  const qualityHelp = 'integers from 1 to 100 (png is lossless and ignores quality)';
  const qualities = splitList('--quality', opts.quality, qualityHelp).map((q) => parseIntIn('--quality', q, 1, 100, qualityHelp));
  const frames = parseIntIn('--frames', opts.frames, 1, MAX_FRAMES);
  const seed = parseIntIn('--seed', opts.seed, 0, 0xffffffff);
  if (opts.cacheDir.trim() === '') throw new UsageError('--cache-dir: expected a directory path, got an empty string');

  const keys: CorpusKey[] = [];
  for (const { width, height } of resolutions.values()) {
    for (const format of new Set(formats)) {
      for (const quality of format === 'png' ? qualities.slice(0, 1) : qualities) {
        keys.push({ format, width, height, quality, frames, seed });
      }
    }
  }
  return { keys, cacheDir: resolve(opts.cacheDir), json: opts.json === true };
}

function progressPrinter(io: FramesIo): { update: (msg: string, done: number, total: number) => void; end: () => void } {
  let open = false;
  return {
    update: (msg, done, total) => {
      if (io.errIsTTY) {
        io.err(`\r\x1b[K${msg}`);
        open = true;
      } else if (done === total) {
        io.err(`${msg}\n`);
      }
    },
    end: () => {
      if (open) io.err('\r\x1b[K');
      open = false;
    },
  };
}

async function runFrames(opts: FramesOptions, io: FramesIo): Promise<void> {
  const plan = planFrames(opts);
  const progress = progressPrinter(io);
  const corpus = new FrameCorpus({ cacheDir: plan.cacheDir, onProgress: progress.update });
  const started = performance.now();
  try {
    const rows = await codecTable(corpus, plan.keys);
    progress.end();
    io.out(plan.json ? `${JSON.stringify(rows, null, 2)}\n` : formatCodecTable(rows));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.err(`corpus: ${corpus.built} built, ${rows.length - corpus.built} reused in ${seconds}s · cache ${plan.cacheDir}\n`);
  } finally {
    progress.end();
  }
}

export function framesCommand(io: FramesIo = processIo): Command {
  return new Command('frames')
    .summary('build the frame corpus and print the codec table')
    .description(
      'Build (or reuse) the synthetic frame corpus that load tests stream, and print the codec table: ' +
        'mean kB per frame, encode and decode ms per frame, and PSNR against the uncompressed source.\n\n' +
        'Each (format, resolution, quality) entry is encoded once and cached on disk by content hash; ' +
        'later runs, and the server, reuse it instantly.',
    )
    .option('--format <list>', `comma-separated frame formats: ${FRAME_FORMATS.join(', ')}`, 'webp,jpeg,png')
    .option('--resolution <list>', `comma-separated resolutions, each ${RESOLUTION_HELP}`, '480p,720p,1080p')
    .option('--quality <list>', 'comma-separated encoder qualities 1-100 for webp and jpeg (png is lossless and ignores it)', '75')
    .option('--frames <n>', `frames per corpus entry, 1-${MAX_FRAMES} (clients play them in a loop)`, '60')
    .option('--seed <n>', 'seed of the synthetic content, 0-4294967295', '1')
    .option('--cache-dir <dir>', 'corpus cache directory', defaultCacheDir())
    .option('--json', 'print the rows as JSON instead of a table')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  bench frames                                   # webp, jpeg, png at 480p, 720p, 1080p, q75',
        '  bench frames --format webp,jpeg --quality 50,75,90 --resolution 720p',
        '  bench frames --resolution 640x360 --frames 120 --json',
        '',
        'Progress goes to stderr; the table (or JSON) goes to stdout. Building 1080p takes a while',
        'once; delete the cache directory to rebuild from scratch.',
      ].join('\n'),
    )
    .showHelpAfterError('(run `bench frames --help` for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .action(async (opts: FramesOptions) => runFrames(opts, io));
}
