// The end every load command shares: Ctrl-C stops the load (results are still written), then the
// outputs (report.html, summary.md, JUnit), the summary table on stdout and the exit code.
import { EXIT } from '../errors.js';
import { writeOutputs } from '../report/outputs.js';
import { summaryTable } from '../report/terminal.js';
import type { RunOutcome } from '../runner/run-options.js';
import { stripControls } from '../text/sanitize.js';
import { interruptSignal } from './common.js';
import type { LiveHook } from './distributed.js';

export interface OutputFlags {
  junit?: string;
  summary?: string;
}

/** Runs `run` with an interrupt signal, writes its outputs and sets the exit code; closes `live` in any case. */
export async function runToOutputs(flags: OutputFlags, live: LiveHook | undefined, run: (signal: AbortSignal) => Promise<RunOutcome>): Promise<void> {
  const interrupt = interruptSignal(() => process.stderr.write('\ninterrupted: stopping the load and writing results (Ctrl-C again to quit at once)\n'));
  try {
    const { results, outDir } = await run(interrupt.signal);
    const written = await writeOutputs(results, { outDir, junit: flags.junit, summary: flags.summary });
    process.stdout.write(`\n${stripControls(summaryTable(results), true)}\n\n${written.map((f) => `wrote ${f}`).join('\n')}\n`);
    process.exitCode = results.interrupted ? EXIT.interrupted : results.ok ? EXIT.ok : EXIT.thresholdFailed;
  } finally {
    interrupt.dispose();
    await live?.close();
  }
}
