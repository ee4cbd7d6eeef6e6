import { LanguageRegistry } from "../../code-index/languages.ts";
import { progressReporter } from "../progress.ts";
import type { FixInput, FixServices } from "../types.ts";

/** What every phase of one run shares: its input, services, progress. */
export type RunContext = {
  input: FixInput;
  services: FixServices;
  registry: LanguageRegistry;
  /** Title and body as one text, for prompts and for the error names the issue reports. */
  issueText: string;
  progress: ReturnType<typeof progressReporter>;
  /** `{ signal }` when the run can be cancelled, to spread into calls. */
  abort: { signal?: AbortSignal };
  /** Notes about the run itself, for the report (the issue cut for the prompts). */
  notes: readonly string[];
};

/** Issue text beyond this many characters is cut, with a notice: a 1 MB issue must not fill every prompt. */
export const ISSUE_MAX_CHARS = 48_000;

export function createRunContext(given: FixInput, services: FixServices): RunContext {
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
  return {
    input,
    services,
    registry: new LanguageRegistry(),
    issueText: [input.issue.title?.trim(), input.issue.body.trim()].filter(Boolean).join("\n\n"),
    progress: progressReporter(services.ledger, services.onProgress),
    abort: services.signal ? { signal: services.signal } : {},
    notes:
      input === given
        ? []
        : [`the issue body was truncated to ${ISSUE_MAX_CHARS} characters for the prompts`],
  };
}
