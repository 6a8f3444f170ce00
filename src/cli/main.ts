// The `bench` entry point: builds the command tree and maps typed errors to exit codes.
// The only place the `bench` process exits; framebench's child processes end through exitChild
// (src/child-env.ts).
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { outcomeOf } from './exit-code.js';
import { toolVersion } from '../version.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { framesCommand } from './frames.js';
import { kubernetesCommand } from './kubernetes.js';
import { mergeCommand } from './merge.js';
import { pollBaselineCommand } from './poll-baseline.js';
import { probeCommand } from './probe.js';
import { generateCommand } from './generate.js';
import { topologyCommand } from './topology.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { soakCommand } from './soak.js';
import { sweepCommand } from './sweep.js';

function program(): Command {
  const p = new Command('bench')
    .description('framebench: load tests and benchmarks for real-time video pipelines over WebSockets')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const cmd of [runCommand(), sweepCommand(), soakCommand(), reportCommand(), serveCommand(), framesCommand(), diffCommand(), mergeCommand(), kubernetesCommand(), probeCommand(), generateCommand(), topologyCommand(), pollBaselineCommand(), exportCommand(), importCommand()]) p.addCommand(cmd.exitOverride());
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    const outcome = outcomeOf(err);
    if (outcome.text) process.stderr.write(outcome.text);
    return outcome.code;
  }
}

const code = await main(process.argv);
process.exit(code);
