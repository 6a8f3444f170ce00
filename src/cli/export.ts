// `bench export k6`: writes a k6 script that runs a scenario's clients on k6 (see src/k6/).
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../results/write.js';
import { exportK6Script, K6_FLAVOURS, type K6Flavour } from '../k6/export-script.js';
import { parseOverride } from '../scenario/overrides.js';
import { loadScenario } from '../scenario/load.js';
import { checkTarget } from './common.js';
import { collect } from './flags.js';

interface ExportFlags {
  output: string;
  k6: K6Flavour;
  set: string[];
  target?: string;
}

const EXAMPLES = `
Examples:
  bench export k6 scenarios/quick.yaml -o quick.k6.js
  k6 run -e TARGET=ws://127.0.0.1:8080/ --out json=out.ndjson quick.k6.js
  bench import k6 out.ndjson --scenario scenarios/quick.yaml -o reports/k6-quick

--k6 1 (default) imports k6/websockets and k6/timers: k6 v0.54 and later, including 1.x.
--k6 0.47 imports k6/experimental/websockets and k6/experimental/timers: k6 v0.47 to v0.53.
Each cell becomes one k6 scenario (ramping-vus over rampUp, or constant-vus; soak stages become
ramping-vus stages); thresholds become k6 thresholds per cell; see README "The k6 path".`;

function k6Export(): Command {
  return new Command('k6')
    .description("write a k6 script that runs the scenario's clients (reference protocol, framebench metrics and thresholds)")
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-o, --output <file>', 'script to write', 'script.js')
    .addOption(new Option('--k6 <version>', 'k6 API flavour the script imports').choices([...K6_FLAVOURS]).default('1'))
    .option('-t, --target <url>', "default target baked into the script (else the scenario's target:); -e TARGET=… overrides it at k6 run time")
    .option('-s, --set <key=value>', 'override a scenario field before exporting (repeatable)', collect, [])
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, flags: ExportFlags) => {
      checkTarget(flags.target);
      const { scenario } = await loadScenario(file, flags.set.map(parseOverride));
      if (flags.target) scenario.target = flags.target;
      const out = exportK6Script(scenario, { flavour: flags.k6, file });
      await writeFileAtomic(flags.output, out.source);
      const cells = out.plan.plans.length;
      process.stderr.write(`k6 script: ${resolve(flags.output)} (${cells} cell${cells === 1 ? '' : 's'}, ${Object.keys(out.thresholds.thresholds).length} k6 threshold keys)\n`);
      for (const u of out.thresholds.untranslated) process.stderr.write(`  not checked by k6: ${u.expr} (${u.reason})\n`);
      if (scenario.chaos.length) process.stderr.write(`  not exported: chaos (${scenario.chaos.length} fault${scenario.chaos.length === 1 ? '' : 's'}); the k6 script runs the clients only\n`);
    });
}

export function exportCommand(): Command {
  return new Command('export').description('export a scenario to another load-testing engine').addCommand(k6Export().exitOverride());
}
