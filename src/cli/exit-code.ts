// What the entry point prints and returns for an error that reached it: typed errors their own code
// (their message with control characters replaced), anything else exit 4 with a request for a bug report.
import { CommanderError } from 'commander';
import { BUG_REPORT_LINE, EXIT, FramebenchError } from '../errors.js';
import { stripControls } from '../text/sanitize.js';

export interface ExitOutcome {
  code: number;
  /** Lines for stderr, or undefined when nothing more is printed (commander already did). */
  text?: string;
}

export function outcomeOf(err: unknown): ExitOutcome {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return { code: EXIT.ok };
    return { code: EXIT.usage };
  }
  if (err instanceof FramebenchError) return { code: err.exitCode, text: `bench: ${stripControls(err.message, true)}\n` };
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { code: EXIT.internal, text: `bench: internal error: ${stripControls(detail, true)}\nbench: ${BUG_REPORT_LINE}\n` };
}
