// The `bench` entry point: builds the command tree and maps typed errors to exit codes.
// The only place the `bench` process exits; framebench's child processes end through exitChild
// (src/child-env.ts).
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { outcomeOf } from './exit-code.js';
import { toolVersion } from '../version.js';

type CommandModule = () => Promise<Command>;
/**
 * Each command's module, loaded only when it runs: `bench run` then carries none of the other
 * commands' dependencies (HTTP clients, Redis, Prometheus, sharp), which keeps the client
 * process's memory and start-up down. Order = the order in `bench --help`.
 */
const COMMANDS: Record<string, CommandModule> = {
  run: async () => (await import('./run.js')).runCommand(),
  sweep: async () => (await import('./sweep.js')).sweepCommand(),
  soak: async () => (await import('./soak.js')).soakCommand(),
  report: async () => (await import('./report.js')).reportCommand(),
  serve: async () => (await import('./serve.js')).serveCommand(),
  frames: async () => (await import('./frames.js')).framesCommand(),
  diff: async () => (await import('./diff.js')).diffCommand(),
  merge: async () => (await import('./merge.js')).mergeCommand(),
  kubernetes: async () => (await import('./kubernetes.js')).kubernetesCommand(),
  probe: async () => (await import('./probe.js')).probeCommand(),
  generate: async () => (await import('./generate.js')).generateCommand(),
  topology: async () => (await import('./topology.js')).topologyCommand(),
  'poll-baseline': async () => (await import('./poll-baseline.js')).pollBaselineCommand(),
  export: async () => (await import('./export.js')).exportCommand(),
  import: async () => (await import('./import.js')).importCommand(),
};

/** The command tree: only the named command when argv names one, else all of them (help, typos). */
async function program(argv: string[]): Promise<Command> {
  const p = new Command('bench').description('framebench: load tests and benchmarks for real-time video pipelines over WebSockets').version(toolVersion(), '-V, --version').showHelpAfterError('(run with --help for usage)').exitOverride();
  const named = argv[2] !== undefined && Object.hasOwn(COMMANDS, argv[2]) ? [COMMANDS[argv[2]] as CommandModule] : Object.values(COMMANDS);
  for (const load of named) p.addCommand((await load()).exitOverride());
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await (await program(argv)).parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    const outcome = outcomeOf(err);
    if (outcome.text) process.stderr.write(outcome.text);
    return outcome.code;
  }
}

const code = await main(process.argv);
process.exit(code);
