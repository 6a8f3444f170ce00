// `bench sweep`: the release gate. Runs every cell of the scenario's sweep matrix, writes
// results.json, report.html and summary.md (plus JUnit / an appended summary), exits 1 on a failed threshold.
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { CHAOS_COMMAND_NOTE, exitCodesHelp } from './help-text.js';
import { writeOutputs } from '../report/outputs.js';
import { summaryTable } from '../report/terminal.js';
import { stripControls } from '../text/sanitize.js';
import { parseSourceIps, parseWorkers } from '../runner/capacity.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { addLoadFlags, checkTarget, interruptSignal, overridesFrom, serverWorkersFrom, type LoadFlags } from './common.js';
import { progressPrinter } from './progress.js';
import { addDistributedFlags, distributedFrom, runOptionsOf, startLive, type DistributedFlags } from './distributed.js';

interface SweepFlags extends LoadFlags, DistributedFlags {
  junit?: string;
  summary?: string;
}

export function loadCommand(name: 'run' | 'sweep', description: string, examples: string): Command {
  return addDistributedFlags(addLoadFlags(new Command(name).description(description).argument('<scenario>', 'scenario file (YAML or JSON), e.g. scenarios/ci.yaml')))
    .option('--junit <file>', 'write JUnit XML: a test case per cell × threshold')
    .option('--summary <file>', 'append the markdown summary to a file, e.g. "$GITHUB_STEP_SUMMARY"')
    .addHelpText('after', `\nExamples:\n${examples}\n\n${CHAOS_COMMAND_NOTE}\n\n${exitCodesHelp('a threshold failed or was not measured, or a cell measured nothing (reasons printed)')}`)
    .action(async (file: string, flags: SweepFlags) => {
      checkTarget(flags.target);
      const loaded = await loadScenario(file, overridesFrom(flags));
      const dist = distributedFrom(flags, loaded);
      const printer = progressPrinter(process.stderr, flags.quiet);
      const live = await startLive(flags, loaded, dist, (line) => process.stderr.write(`${line}\n`));
      const progress = live ? (p: Parameters<typeof printer>[0]): void => (live.onProgress(p), printer(p)) : printer;
      const interrupt = interruptSignal(() => process.stderr.write('\ninterrupted: stopping the load and writing results (Ctrl-C again to quit at once)\n'));
      try {
        const { results, outDir } = await runScenario(loaded, {
          command: name,
          target: flags.target,
          outDir: dist.outDir,
          cacheDir: flags.cacheDir,
          signal: interrupt.signal,
          onProgress: progress,
          ...runOptionsOf(dist),
          workers: parseWorkers(flags.workers),
          sourceIps: flags.sourceIps ? parseSourceIps(flags.sourceIps) : undefined,
          serverWorkers: serverWorkersFrom(flags),
        });
        const written = await writeOutputs(results, { outDir, junit: flags.junit, summary: flags.summary });
        process.stdout.write(`\n${stripControls(summaryTable(results), true)}\n\n${written.map((f) => `wrote ${f}`).join('\n')}\n`);
        process.exitCode = results.interrupted ? EXIT.interrupted : results.ok ? EXIT.ok : EXIT.thresholdFailed;
      } finally {
        interrupt.dispose();
        await live?.close();
      }
    });
}

export function sweepCommand(): Command {
  return loadCommand(
    'sweep',
    'run every cell of the scenario\'s sweep matrix (format × resolution × buffer depth …), check thresholds, write report.html, summary.md and results.json',
    '  bench sweep scenarios/ci.yaml\n  bench sweep scenarios/ci.yaml --junit reports/junit.xml --summary "$GITHUB_STEP_SUMMARY"\n  bench sweep scenarios/ci.yaml --target ws://127.0.0.1:8080/ --set duration=5s\n  bench sweep scenarios/ingest.yaml --set clients=50   (upload: dispatch interval × model API rate limit)',
  );
}
