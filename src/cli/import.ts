// `bench import k6`: k6 `--out json` output of one or many runners → results.json, report.html and
// summary.md, so `bench report` and `bench diff` work on a k6 run (see src/k6/).
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { importK6 } from '../k6/import-results.js';
import { MAX_LINE_BYTES } from '../k6/ndjson-lines.js';
import { writeResults } from '../results/write.js';
import { writeOutputs } from '../report/outputs.js';
import { summaryTable } from '../report/terminal.js';
import { parseDuration } from '../text/duration.js';
import { loadScenario } from '../scenario/load.js';

interface ImportFlags {
  out?: string;
  scenario?: string;
  duration?: string;
  maxLineBytes: string;
  junit?: string;
  summary?: string;
}

const EXAMPLES = `
Examples:
  k6 run --out json=out.ndjson script.js                      # a script from bench export k6
  bench import k6 out.ndjson --scenario scenarios/quick.yaml -o reports/k6-quick
  bench import k6 runner-*.ndjson.gz --scenario soak.yaml -o reports/k6-soak   # k6-operator: one file per runner
  bench diff reports/native/results.json reports/k6-quick/results.json

Samples are grouped into cells by the tag cell= (set by exported scripts) or else by k6 scenario
name; the files of several runners of one test merge into one result (histograms built from every
sample, windows on wall-clock seconds). With --scenario the cells get their params and the
scenario's thresholds are evaluated; the exit code is 1 when one fails or a cell received nothing.`;

function k6Import(): Command {
  return new Command('k6')
    .description('read k6 --out json NDJSON (one file per runner; .gz too) into a framebench results.json and report')
    .argument('<files...>', 'k6 --out json files')
    .option('-o, --out <dir>', 'output folder (default: reports/<run-id>)')
    .option('--scenario <file>', 'the scenario the k6 script was exported from: cell params, measured duration, thresholds')
    .option('-d, --duration <duration>', 'measured time per cell without --scenario (default: the span of the frame samples)')
    .option('--max-line-bytes <n>', 'longest accepted line', String(MAX_LINE_BYTES))
    .option('--junit <file>', 'also write JUnit XML')
    .option('--summary <file>', 'append the markdown summary to this file (e.g. "$GITHUB_STEP_SUMMARY")')
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], flags: ImportFlags) => {
      const maxLineBytes = Number(flags.maxLineBytes);
      if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1024) throw new UsageError(`--max-line-bytes ${flags.maxLineBytes}: expected a whole number of bytes, at least 1024`);
      const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration);
      if (flags.duration !== undefined && (durationMs === undefined || durationMs <= 0)) throw new UsageError(`--duration ${flags.duration}: expected a duration such as "30s"`);
      if (flags.duration !== undefined && flags.scenario) throw new UsageError('--duration and --scenario: the scenario gives each cell its measured duration; use one of them');
      const scenario = flags.scenario ? await loadScenario(flags.scenario) : undefined;
      const { results, unmatched } = await importK6({
        files,
        scenario,
        durationSec: durationMs === undefined ? undefined : durationMs / 1000,
        maxLineBytes,
        command: `bench import k6 ${files.join(' ')}`,
        onProgress: (s) => process.stderr.write(`k6 import: ${s.file}: ${(s.lines / 1e6).toFixed(0)} M lines\n`),
      });
      for (const id of [...new Set(unmatched)]) process.stderr.write(`note: k6 cell ${id} matches no cell of ${flags.scenario}; it is kept without the scenario's params (was the script exported from another scenario?)\n`);
      const outDir = flags.out ?? join('reports', results.runId);
      const file = await writeResults(outDir, results);
      const written = [file, ...(await writeOutputs(results, { outDir, junit: flags.junit, summary: flags.summary }))];
      for (const c of results.cells) for (const e of c.events.filter((x) => x.kind === 'import-note')) process.stderr.write(`note: cell ${c.id}: ${e.detail}\n`);
      process.stdout.write(`\n${summaryTable(results)}\n\n${written.map((f) => `wrote ${resolve(f)}`).join('\n')}\n`);
      process.exitCode = results.ok ? EXIT.ok : EXIT.thresholdFailed;
    });
}

export function importCommand(): Command {
  return new Command('import').description("import another load-testing engine's output as framebench results").addCommand(k6Import().exitOverride());
}
