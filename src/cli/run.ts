// `bench run`: one scenario against the embedded server or --target; prints a summary, writes results.json.
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { summaryTable } from '../report/terminal.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { addLoadFlags, checkTarget, interruptSignal, overridesFrom, type LoadFlags } from './common.js';
import { progressPrinter } from './progress.js';

export function runCommand(): Command {
  return addLoadFlags(
    new Command('run')
      .description('run a scenario: N clients stream frames from the target; prints a summary and writes results.json')
      .argument('<scenario>', 'scenario file (YAML or JSON), e.g. scenarios/quick.yaml'),
  )
    .addHelpText(
      'after',
      `
Examples:
  bench run scenarios/quick.yaml
  bench run scenarios/quick.yaml --clients 200 --duration 30s
  bench run scenarios/quick.yaml --target ws://127.0.0.1:8080/ --set fps=15

Exit codes: 0 ok · 1 a threshold failed · 2 invalid scenario or flags · 3 target unreachable · 130 interrupted`,
    )
    .action(async (file: string, flags: LoadFlags) => {
      checkTarget(flags.target);
      const loaded = await loadScenario(file, overridesFrom(flags));
      const progress = progressPrinter(process.stderr, flags.quiet);
      const interrupt = interruptSignal(() => process.stderr.write('\ninterrupted: stopping the load and writing results (Ctrl-C again to quit at once)\n'));
      try {
        const { results } = await runScenario(loaded, {
          command: 'run',
          target: flags.target,
          outDir: flags.out,
          cacheDir: flags.cacheDir,
          signal: interrupt.signal,
          onProgress: progress,
        });
        process.stdout.write(`\n${summaryTable(results)}\n`);
        process.exitCode = results.interrupted ? EXIT.interrupted : results.ok ? EXIT.ok : EXIT.thresholdFailed;
      } finally {
        interrupt.dispose();
      }
    });
}
