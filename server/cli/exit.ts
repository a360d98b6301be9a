/**
 * Exit codes and the one error type commands throw to stop with one. Everything a user sees
 * on failure is a message (and maybe some detail lines), never a stack trace.
 */
export const EXIT = {
  ok: 0,
  /** The operation failed, the stack ended FAILED, or the template is invalid or unreadable. */
  failed: 1,
  /** Unknown command or flag, missing or extra argument. */
  usage: 2,
  /** The server could not be reached, or answered with an error. */
  api: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Printed after the message, one per line (template problems, missing files). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends CliFailure {
  constructor(message: string, readonly usage?: string) {
    super(message, EXIT.usage);
  }
}
