// `bench poll-baseline`: raw request throughput and latency of the HTTP polling endpoint
// (autocannon), at the frame sizes the scenarios stream.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { defaultCacheDir } from '../frames/corpus.js';
import { parseResolution, RESOLUTION_HELP } from '../frames/resolution.js';
import type { FrameFormat } from '../protocol/header.js';
import { formatPollBaseline, runPollBaseline, type PollBaselineOptions, type PollBaselineResult } from '../runner/poll-baseline.js';
import { parseDuration } from '../text/duration.js';
import { checkTarget, interruptSignal } from './common.js';

interface Flags {
  target?: string;
  format: string;
  resolution: string;
  quality: string;
  connections: string;
  duration: string;
  pipelining: string;
  cacheDir: string;
  out?: string;
  json?: boolean;
}

const FORMATS: readonly FrameFormat[] = ['webp', 'jpeg', 'png'];

function intFlag(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
}

export function planPollBaseline(f: Flags): Omit<PollBaselineOptions, 'onLog' | 'signal'> {
  checkTarget(f.target);
  const formats = f.format.split(',').map((s) => s.trim().toLowerCase().replace(/^jpg$/, 'jpeg'));
  for (const x of formats) if (!FORMATS.includes(x as FrameFormat)) throw new UsageError(`--format ${x}: unknown format; allowed: ${FORMATS.join(', ')}`);
  const resolutions = f.resolution.split(',').map((s) => s.trim());
  for (const r of resolutions) if (!parseResolution(r)) throw new UsageError(`--resolution ${r}: expected ${RESOLUTION_HELP}`);
  const ms = parseDuration(f.duration);
  if (ms === undefined || ms < 1000 || ms > 600_000) throw new UsageError(`--duration ${f.duration}: expected a duration from 1s to 10m, e.g. 10s`);
  return {
    ...(f.target ? { target: f.target } : {}),
    formats: [...new Set(formats)] as FrameFormat[],
    resolutions: [...new Set(resolutions)],
    quality: intFlag('--quality', f.quality, 1, 100),
    connections: intFlag('--connections', f.connections, 1, 1000),
    durationSec: Math.round(ms / 1000),
    pipelining: intFlag('--pipelining', f.pipelining, 1, 16),
    cacheDir: f.cacheDir,
    corpusFrames: 30,
  };
}

/** Why the run measured nothing usable, or undefined when every row has answers. */
export function baselineFailure(r: PollBaselineResult): string | undefined {
  if (r.rows.length === 0) return 'no measurement ran';
  const bad = r.rows.filter((x) => x.requests === 0 || x.non2xx > 0 || x.errors > 0);
  if (bad.length === 0) return undefined;
  return bad.map((x) => `${x.format} ${x.resolution} ${x.kind}: ${x.requests} requests, ${x.non2xx} non-2xx, ${x.errors} errors`).join('; ');
}

export function pollBaselineCommand(): Command {
  return new Command('poll-baseline')
    .summary('requests/s and latency of the HTTP polling endpoint (autocannon)')
    .description(
      "Drive the reference server's polling endpoint (GET /frames/{id}/next) with autocannon: requests/s, latency " +
        'and server CPU per request, once with every poll answered by a frame and once with every poll empty (204), ' +
        'at the frame sizes of the chosen formats and resolutions. It shows what polling costs the server, beside the ' +
        'paced transport comparison of `bench sweep scenarios/transports.yaml`.',
    )
    .option('-t, --target <url>', 'ws:// URL of a running reference server (its HTTP side is polled; default: start the embedded server)')
    .option('--format <list>', 'comma-separated formats: webp, jpeg, png', 'webp')
    .option('--resolution <list>', `comma-separated resolutions, each ${RESOLUTION_HELP}`, '480p')
    .option('--quality <n>', 'encoder quality 1-100', '75')
    .option('--connections <n>', 'concurrent keep-alive connections', '10')
    .option('--duration <duration>', 'time per measurement, 1s to 10m', '10s')
    .option('--pipelining <n>', 'requests in flight per connection, 1-16', '1')
    .option('--cache-dir <dir>', 'frame corpus cache folder', defaultCacheDir())
    .option('-o, --out <file>', 'also write the result as JSON to this file')
    .option('--json', 'print JSON instead of the table')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  bench poll-baseline',
        '  bench poll-baseline --format webp,jpeg --resolution 480p,720p --connections 50 --duration 5s',
        '',
        'Exit codes: 0 ok · 1 a measurement got no answers, errors or non-2xx answers · 2 bad flags · 3 target unreachable · 130 interrupted',
      ].join('\n'),
    )
    .action(async (f: Flags) => {
      const plan = planPollBaseline(f);
      const stop = interruptSignal(() => process.stderr.write('interrupted: stopping after the current measurement\n'));
      try {
        const result = await runPollBaseline({ ...plan, signal: stop.signal, onLog: (l) => process.stderr.write(`${l}\n`) });
        process.stdout.write(f.json ? `${JSON.stringify(result, null, 2)}\n` : formatPollBaseline(result));
        if (f.out) writeFileSync(f.out, `${JSON.stringify(result, null, 2)}\n`);
        const failure = baselineFailure(result);
        if (stop.signal.aborted) process.exitCode = EXIT.interrupted;
        else if (failure) {
          process.stderr.write(`bench: poll-baseline failed: ${failure}\n`);
          process.exitCode = EXIT.thresholdFailed;
        }
      } finally {
        stop.dispose();
      }
    });
}
