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

export function startRun(input: FixInput, services: FixServices, trace: RunTrace): RunContext {
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
