// The `bench` entry point: builds the command tree and maps typed errors to exit codes.
// The only place in framebench that calls process.exit.
import { Command, CommanderError } from 'commander';
import { FramebenchError, EXIT } from '../errors.js';
import { toolVersion } from '../version.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { framesCommand } from './frames.js';
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
  for (const cmd of [runCommand(), sweepCommand(), soakCommand(), reportCommand(), serveCommand(), framesCommand(), diffCommand(), exportCommand(), importCommand()]) p.addCommand(cmd.exitOverride());
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof FramebenchError) {
      process.stderr.write(`bench: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`bench: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
process.exit(code);
