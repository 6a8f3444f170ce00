// `bench run` and `bench sweep` are one command under two names: load a scenario, run every cell
// (against the embedded server or --target, optionally as one shard of many), write the outputs.
import { Command } from 'commander';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { addLoadFlags, checkTarget, overridesFrom, serverWorkersFrom, type LoadFlags } from './common.js';
import { addDistributedFlags, distributedFrom, runOptionsOf, startLive, type DistributedFlags } from './distributed.js';
import { runToOutputs, type OutputFlags } from './finish-run.js';
import { parseSourceIps, parseWorkers } from './flags.js';
import { CHAOS_COMMAND_NOTE, exitCodesHelp } from './help-text.js';
import { progressPrinter } from './progress.js';

interface RunFlags extends LoadFlags, DistributedFlags, OutputFlags {}

export function loadCommand(name: 'run' | 'sweep', description: string, examples: string): Command {
  return addDistributedFlags(addLoadFlags(new Command(name).description(description).argument('<scenario>', 'scenario file (YAML or JSON), e.g. scenarios/ci.yaml')))
    .option('--junit <file>', 'write JUnit XML: a test case per cell × threshold')
    .option('--summary <file>', 'append the markdown summary to a file, e.g. "$GITHUB_STEP_SUMMARY"')
    .addHelpText('after', `\nExamples:\n${examples}\n\n${CHAOS_COMMAND_NOTE}\n\n${exitCodesHelp('a threshold failed or was not measured, or a cell measured nothing (reasons printed)')}`)
    .action(async (file: string, flags: RunFlags) => {
      checkTarget(flags.target);
      const loaded = await loadScenario(file, overridesFrom(flags));
      const dist = distributedFrom(flags, loaded);
      const printer = progressPrinter(process.stderr, flags.quiet);
      const live = await startLive(flags, loaded, dist, (line) => process.stderr.write(`${line}\n`));
      const progress = live ? (p: Parameters<typeof printer>[0]): void => (live.onProgress(p), printer(p)) : printer;
      await runToOutputs(flags, live, (signal) =>
        runScenario(loaded, {
          command: name,
          target: flags.target,
          outDir: dist.outDir,
          cacheDir: flags.cacheDir,
          signal,
          onProgress: progress,
          ...runOptionsOf(dist),
          workers: parseWorkers(flags.workers),
          sourceIps: flags.sourceIps ? parseSourceIps(flags.sourceIps) : undefined,
          serverWorkers: serverWorkersFrom(flags),
        }),
      );
    });
}
