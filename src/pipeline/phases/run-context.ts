import { LanguageRegistry } from "../../code-index/languages.ts";
import { progressReporter } from "../progress.ts";
import type { RunTrace } from "../report.ts";
import type { FixInput, FixServices } from "../types.ts";

/** What every phase of one run shares: its input, services, the trace it fills, progress. */
export type RunContext = {
  input: FixInput;
  services: FixServices;
  trace: RunTrace;
  registry: LanguageRegistry;
  /** Title and body as one text, for prompts and for the error names the issue reports. */
  issueText: string;
  progress: ReturnType<typeof progressReporter>;
  /** `{ signal }` when the run can be cancelled, to spread into calls. */
  abort: { signal?: AbortSignal };
};

/** Issue text beyond this many characters is cut, with a notice: a 1 MB issue must not fill every prompt. */
export const ISSUE_MAX_CHARS = 48_000;

export function createRunContext(given: FixInput, services: FixServices, trace: RunTrace): RunContext {
  const body = given.issue.body;
  const input =
    body.length <= ISSUE_MAX_CHARS
      ? given
      : {
          ...given,
          issue: {
            ...given.issue,
            body: `${body.slice(0, ISSUE_MAX_CHARS)}\n\n[… the issue is ${body.length.toLocaleString("en-US")} characters long; only the first ${ISSUE_MAX_CHARS.toLocaleString("en-US")} are shown]`,
          },
        };
  if (input !== given)
    trace.notes.push(`the issue body was truncated to ${ISSUE_MAX_CHARS} characters for the prompts`);
  return {
    input,
    services,
    trace,
    registry: new LanguageRegistry(),
    issueText: [input.issue.title?.trim(), input.issue.body.trim()].filter(Boolean).join("\n\n"),
    progress: progressReporter(services.ledger, services.onProgress),
    abort: services.signal ? { signal: services.signal } : {},
  };
}
