// Typed setup errors; the CLI entry point maps each to its exit code (the codes are listed in the README;
// docs/architecture.md describes the layers that raise them).

export const EXIT = { ok: 0, thresholdFailed: 1, usage: 2, unreachable: 3, internal: 4, interrupted: 130 } as const;

export const BUG_REPORT_LINE = 'this is a bug in framebench: please report it with the command line and the output above';

export class FramebenchError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. */
export class UsageError extends FramebenchError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** An invalid scenario file or override; the message names the file, the field and what is allowed. */
export class ScenarioError extends FramebenchError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The target could not be reached or the run could not start. */
export class TargetError extends FramebenchError {
  constructor(message: string) {
    super(message, EXIT.unreachable);
  }
}
