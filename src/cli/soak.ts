// `bench soak`: peak × multiplier clients against a target for a long time, with chaos, live
// progress, Prometheus scraping and drift analysis; Ctrl-C still leaves results and a report.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ClientOptions } from 'ws';
import { UsageError } from '../errors.js';
import { runSoak } from '../runner/run-soak.js';
import { loadScenario } from '../scenario/load.js';
import { renderLine, renderLive } from '../soak/live-view.js';
import { secretsFrom } from '../text/redact.js';
import type { LiveState } from '../soak/types.js';
import { CHAOS_COMMAND_NOTE, exitCodesHelp } from './help-text.js';
import { addLoadFlags, checkTarget, overridesFrom, serverWorkersFrom, type LoadFlags } from './common.js';
import { runToOutputs, type OutputFlags } from './finish-run.js';
import { collect, durationFlag, parseHeaders, parseSourceIps, parseWorkers, positiveFlag } from './flags.js';
import { progressPrinter } from './progress.js';
import { addDistributedFlags, distributedFrom, runOptionsOf, startLive, type DistributedFlags } from './distributed.js';

interface SoakFlags extends LoadFlags, DistributedFlags, OutputFlags {
  peak?: string;
  multiplier: string;
  scrape: string[];
  series: string[];
  scrapeInterval?: string;
  progressInterval: string;
  ca?: string;
  insecure?: boolean;
  header: string[];
}

function liveWriter(stream: NodeJS.WriteStream, everyMs: number): (s: LiveState) => void {
  let drawn = 0;
  let last = 0;
  return (state) => {
    if (stream.isTTY) {
      const lines = renderLive(state, stream.columns || 80);
      if (drawn) stream.write(`\x1b[${drawn}A`);
      stream.write(`${lines.map((l) => `\r\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
      return;
    }
    const now = performance.now();
    if (state.stopping || now - last >= everyMs) {
      last = now;
      stream.write(`${renderLine(state)}\n`);
    }
  };
}

export function soakCommand(): Command {
  return addDistributedFlags(
    addLoadFlags(
      new Command('soak').description('soak: ramp to peak × multiplier clients, hold for --duration, ramp down; chaos, live progress, /metrics scraping, drift analysis').argument('<scenario>', 'scenario file, e.g. scenarios/soak.yaml'),
    ),
  )
    .option('--peak <clients>', "production peak; the soak holds peak × multiplier clients (else the scenario's stages)")
    .option('--multiplier <x>', 'times the peak to hold', '3')
    .option('--scrape <url>', 'Prometheus /metrics URL to scrape during the run (repeatable)', collect, [])
    .option('--series <name>', 'extra scraped series to keep, e.g. http_requests_total (repeatable)', collect, [])
    .option('--scrape-interval <duration>', "time between scrapes (default: the scenario's scrape.interval, else 15s)")
    .option('--progress-interval <duration>', 'time between progress lines when the terminal is not interactive', '10s')
    .option('--ca <file>', 'PEM file of a private certificate authority for wss:// targets')
    .option('--insecure', 'skip TLS certificate verification (prints a warning)')
    .option('-H, --header <header>', 'extra upgrade header, e.g. "Authorization: Bearer $TOKEN" (repeatable; redacted everywhere)', collect, [])
    .option('--junit <file>', 'write JUnit XML')
    .option('--summary <file>', 'append the markdown summary to a file, e.g. "$GITHUB_STEP_SUMMARY"')
    .addHelpText(
      'after',
      `
Examples:
  bench soak scenarios/soak.yaml --peak 100 --duration 10m
  bench soak scenarios/soak.yaml --target wss://staging.example/stream --peak 400 --multiplier 3 --duration 2h \\
    --header "Authorization: Bearer $TOKEN" --scrape https://staging.example/metrics

Results are written as the run goes (timeseries.ndjson, append-only); Ctrl-C stops the load and
still writes results.json and report.html.

${CHAOS_COMMAND_NOTE}

${exitCodesHelp('a threshold or drift threshold failed or was not measured, or nothing was measured (the reason is printed)')}

Sharded (one of N load generators; merge with \`bench merge\`):
  bench soak scenarios/soak.yaml --peak 4000 --duration 1h --target wss://staging.example/stream \\
    --shard 2/4 --start-at 2026-12-01T21:00:00Z --metrics-port 9464`,
    )
    .action(async (file: string, flags: SoakFlags) => {
      checkTarget(flags.target);
      const headers = parseHeaders(flags.header);
      const wsOptions: ClientOptions = { headers };
      if (flags.ca) {
        try {
          wsOptions.ca = readFileSync(flags.ca, 'utf8');
        } catch (err) {
          throw new UsageError(`--ca ${flags.ca}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
      }
      if (flags.insecure) {
        wsOptions.rejectUnauthorized = false;
        process.stderr.write('warning: --insecure: TLS certificates are not verified; anyone in the path could impersonate the target\n');
      }
      const shape = { peak: flags.peak === undefined ? undefined : positiveFlag('--peak', flags.peak), multiplier: positiveFlag('--multiplier', flags.multiplier) };
      const scrapeIntervalMs = flags.scrapeInterval === undefined ? undefined : durationFlag('--scrape-interval', flags.scrapeInterval);
      const everyMs = durationFlag('--progress-interval', flags.progressInterval);
      const loaded = await loadScenario(file, overridesFrom(flags));
      const secrets = secretsFrom({ urls: [flags.target ?? loaded.scenario.target ?? '', ...flags.scrape], headers });
      for (const v of Object.values(headers)) if (/^(Bearer|Basic|Token)\s+/i.test(v)) secrets.push(v.replace(/^\S+\s+/, ''));
      const dist = distributedFrom(flags, loaded);
      const printer = progressPrinter(process.stderr, flags.quiet);
      const live = await startLive(flags, loaded, dist, (line) => process.stderr.write(`${line}\n`));
      await runToOutputs(flags, live, (signal) =>
        runSoak(loaded, {
          command: 'soak',
          target: flags.target,
          outDir: dist.outDir,
          cacheDir: flags.cacheDir,
          signal,
          onProgress: (p) => {
            if (live) live.onProgress(p);
            if (p.type !== 'tick') printer(p);
          },
          ...runOptionsOf(dist),
          onLive: flags.quiet ? undefined : liveWriter(process.stderr, everyMs),
          workers: parseWorkers(flags.workers),
          sourceIps: flags.sourceIps ? parseSourceIps(flags.sourceIps) : undefined,
          serverWorkers: serverWorkersFrom(flags),
          wsOptions,
          secrets,
          shape,
          scrapeUrls: flags.scrape,
          series: flags.series,
          scrapeIntervalMs,
          headers,
        }),
      );
    });
}
