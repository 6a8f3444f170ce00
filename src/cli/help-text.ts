// Help text shared by the commands that run scenarios.

/** The exit-code line of --help; `one` says what exit 1 means for the command. */
export function exitCodesHelp(one: string): string {
  return `Exit codes: 0 ok · 1 ${one} · 2 invalid scenario, results file or flags · ` + '3 target unreachable, or --start-at already past · 4 internal error (a bug: please report it) · 130 interrupted';
}

export const CHAOS_COMMAND_NOTE =
  'Security: a scenario\'s `chaos: - { kind: command, run: "…" }` entries run shell commands on this machine ' + '(with your permissions) during the run; each command is printed before it runs. Run only scenario files you trust.';
