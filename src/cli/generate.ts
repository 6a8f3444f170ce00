// `bench generate`: a synthetic frame generator worker (plays the model): takes jobs from a Redis
// list, publishes corpus frames on each job's channel at a modelled pace, until SIGINT/SIGTERM.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { startGenerator } from '../generator/http.js';
import type { GeneratorOptions } from '../generator/options.js';
import { DISTRIBUTION_HELP, PACE_DEFAULTS, parseDistribution } from '../generator/pace.js';
import { parseDuration } from '../text/duration.js';

interface GenerateFlags {
  redis?: string;
  queue: string;
  channel: string;
  envelope: string;
  concurrency: string;
  firstFrame: string;
  perFrame?: string;
  jitter: string;
  slowFraction: string;
  slowFactor: string;
  replayFrames: string;
  replayTtl: string;
  orphanAfter: string;
  workerId?: string;
  seed?: string;
  cacheDir?: string;
  corpusFrames: string;
  httpPort: string;
  httpHost: string;
  adminToken?: string;
}

function ms(flag: string, text: string): number {
  const v = parseDuration(/^\d+(\.\d+)?$/.test(text.trim()) ? `${text}ms` : text);
  if (v === undefined) throw new UsageError(`${flag} must be a duration such as 40ms or 1s (got ${JSON.stringify(text)})`);
  return v;
}

function num(flag: string, text: string, min: number, max: number, integer = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return n;
}

export function parseGenerateFlags(f: GenerateFlags): GeneratorOptions {
  if (!f.redis) throw new UsageError('bench generate needs --redis redis://HOST:PORT (where the gateways enqueue requests)');
  if (f.envelope !== 'raw' && f.envelope !== 'json') throw new UsageError(`--envelope must be raw (binary frames) or json (base64 in JSON) (got ${JSON.stringify(f.envelope)})`);
  const first = parseDistribution(f.firstFrame);
  if (!first) throw new UsageError(`--first-frame must be ${DISTRIBUTION_HELP} (got ${JSON.stringify(f.firstFrame)})`);
  return {
    redisUrl: f.redis,
    queue: f.queue,
    channel: f.channel,
    envelope: f.envelope,
    concurrency: num('--concurrency', f.concurrency, 1, 10_000, true),
    pace: {
      firstFrameMeanMs: first.meanMs,
      firstFrameSdMs: first.sdMs,
      perFrameMs: f.perFrame === undefined ? undefined : ms('--per-frame', f.perFrame),
      jitterMs: ms('--jitter', f.jitter),
      slowFraction: num('--slow-fraction', f.slowFraction, 0, 1),
      slowFactor: num('--slow-factor', f.slowFactor, 1, 1000),
    },
    replayFrames: num('--replay-frames', f.replayFrames, 0, 100_000, true),
    replayTtlMs: ms('--replay-ttl', f.replayTtl),
    orphanMs: ms('--orphan-after', f.orphanAfter),
    workerId: f.workerId,
    seed: f.seed === undefined ? undefined : num('--seed', f.seed, 0, 2 ** 32 - 1, true),
    cacheDir: f.cacheDir,
    corpusFrames: num('--corpus-frames', f.corpusFrames, 1, 1000, true),
    httpPort: num('--http-port', f.httpPort, 0, 65535, true),
    httpHost: f.httpHost,
    adminToken: f.adminToken,
  };
}

export function generateCommand(): Command {
  const p = PACE_DEFAULTS;
  return new Command('generate')
    .description("run a synthetic frame generator (plays the model): takes jobs from a Redis list and publishes frames on each job's channel at a modelled pace; " + 'pair it with `bench serve --gateway` or your own gateway')
    .option('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'Redis list to take jobs from (BLMOVE, right end)', 'framebench:generate')
    .option('--channel <template>', 'channel for jobs that name none; {requestId} becomes the stream id', 'frames:{requestId}')
    .option('--envelope <raw|json>', 'frames on the channel: raw binary (32-byte header + image) or JSON with base64 data', 'raw')
    .option('--concurrency <n>', 'generations this worker runs at the same time', '4')
    .option('--first-frame <dist>', `time to first frame: ${DISTRIBUTION_HELP}`, `${p.firstFrameMeanMs}ms ± ${p.firstFrameSdMs}ms`)
    .option('--per-frame <ms>', 'generation time per frame (default: 1000/fps of the request)')
    .option('--jitter <ms>', 'uniform extra time per frame in [0, ms]', '0')
    .option('--slow-fraction <f>', 'chance (0..1) that this worker is a slow one', String(p.slowFraction))
    .option('--slow-factor <x>', 'per-frame time multiplier of a slow worker', String(p.slowFactor))
    .option('--replay-frames <n>', 'frames kept per stream in Redis so a resume on another gateway can replay them (0: none)', '150')
    .option('--replay-ttl <ms>', "how long a stream's replay window outlives its last frame", '30000')
    .option('--orphan-after <ms>', 'stop a generation nobody has listened to for this long', '30000')
    .option('--worker-id <id>', 'name in logs, metrics and the processing list (default gen-PID)')
    .option('--seed <n>', 'seed of the pace model (default: the pid)')
    .option('--cache-dir <dir>', 'frame corpus cache folder')
    .option('--corpus-frames <n>', 'distinct frames per corpus entry (frame seq uses seq % n)', '60')
    .option('--http-port <n>', 'port of /healthz, /metrics and POST /admin/slow (0: a free one)', '0')
    .option('--http-host <host>', 'interface of the HTTP listener', '127.0.0.1')
    .option('--admin-token <token>', 'enable POST /admin/slow?factor=F&for=MS for this bearer token')
    .addHelpText(
      'after',
      `
A job is one JSON text on the list (LPUSH it; generators take from the right end):
  {"requestId": 7, "format": "webp", "width": 854, "height": 480, "quality": 75, "fps": 25, "frames": 100}
optional: "streamId" (default: the requestId), "channel" (default: --channel with {requestId} = streamId),
"fromSeq", "attempt", "enqueuedUs". On the channel: {"type":"start",…}, one message per frame
(32-byte framebench header + image, or with --envelope json {"type":"frame","seq",…,"data":base64}),
then {"type":"end","frames":N}. Publish {"type":"pause"|"resume"|"cancel"} on CHANNEL:control to steer it.

Examples:
  bench generate --redis redis://127.0.0.1:6379 --concurrency 8 --first-frame "800ms ± 200ms" --per-frame 40ms
  bench generate --redis redis://127.0.0.1:6379 --queue jobs:video --channel 'video:{requestId}' --envelope json`,
    )
    .action(async (flags: GenerateFlags) => {
      const opts = parseGenerateFlags(flags);
      const gen = await startGenerator({ ...opts, onLog: (line) => process.stderr.write(`bench generate: ${line}\n`) });
      const o = gen.worker.options;
      process.stdout.write(`bench generate: ${o.workerId} taking jobs from ${o.queue} (${o.concurrency} at a time, ${o.envelope} frames) · health at ${gen.url}healthz · metrics at ${gen.url}metrics\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await gen.close();
      const s = gen.worker.stats;
      process.stdout.write(`bench generate: stopped · ${s.jobs} jobs · ${s.framesPublished} frames · ${s.publishFailures} publish failures · ${s.backpressurePauses} pauses\n`);
    });
}
