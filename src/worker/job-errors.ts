import { AutofixError, describeError, isAutofixError } from "../errors.ts";

/**
 * The job no longer has a point (the issue was closed, the branch to fix is gone): it ends as
 * `cancelled`, with the reason in the status comment — not as a failure.
 */
export class JobCancelledError extends AutofixError {
  constructor(reason: string) {
    super("job_cancelled", reason);
  }
}

const CANCELLING = new Set(["job_cancelled", "base_branch_gone"]);

/** The reason to cancel the job with, when `error` means the job lost its point; else undefined. */
export function cancellationReason(error: unknown): string | undefined {
  return isAutofixError(error) && CANCELLING.has(error.code) ? error.message : undefined;
}

/**
 * A failure as the status comment shows it: what went wrong, and what to do. Problems with the
 * repository (no tests, no supported language) and with the operator's set-up (no model endpoint,
 * no Docker) get a sentence saying whose move it is.
 */
export function failureMessage(error: unknown): string {
  const lead = leadFor(error);
  const text = describeError(error).replace(/\n\s*→ /, "\n\n**What to do:** ");
  return `${lead === undefined ? "" : `${lead}\n\n`}**Error:** ${text}`;
}

function leadFor(error: unknown): string | undefined {
  if (!isAutofixError(error)) return undefined;
  const code = error.code;
  if (code === "no_tests" || /unsupported_language|no_language|language_unsupported/.test(code)) {
    return "autofix proposes only fixes it can prove with the repository's own tests, so it cannot work on this repository yet.";
  }
  if (code.startsWith("llm_settings") || code === "llm_key_missing" || code === "llm_unavailable") {
    return "The App's model endpoint is not usable — this is the App operator's setting, not the repository's.";
  }
  if (code.startsWith("sandbox_docker") || code === "sandbox_image_not_found") {
    return "The App's test sandbox (Docker) is not usable — this is the App operator's set-up, not the repository's.";
  }
  if (code === "budget_exceeded") return "The run reached its budget before it could finish.";
  return undefined;
}
