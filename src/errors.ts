/**
 * Every failure we expect is an AutofixError: a stable `code`, a message a maintainer can act on,
 * an optional `hint` (what to do about it) and the `context` it happened in. They are thrown deep
 * and caught at the edge (CLI exit codes, App comments), never swallowed in between.
 */
export class AutofixError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.context = options.context ?? {};
  }

  /** One or two lines for a person: the message, then the hint. */
  describe(): string {
    return this.hint ? `${this.message}\n  → ${this.hint}` : this.message;
  }
}

export function isAutofixError(error: unknown): error is AutofixError {
  return error instanceof AutofixError;
}

/** A readable one-liner for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof AutofixError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
