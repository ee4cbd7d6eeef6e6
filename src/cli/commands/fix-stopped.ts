import { configSchema } from "../../config/schema.ts";
import type { Report } from "../../contract/report.ts";
import { describeError } from "../../errors.ts";
import { createLedger } from "../../llm/create-llm.ts";
import { buildReport } from "../../pipeline/report.ts";

/**
 * The report of an `autofix fix` that ended before its run began (the repository, the config or
 * the Docker engine failed, or a signal came first): nothing was spent, and `stopped` says why.
 */
export function reportOfUnstartedRun(
  options: { repo: string; commit?: string },
  error: unknown,
  signal: AbortSignal,
  startedMs: number,
): Report {
  const config = configSchema.parse({});
  const reason: unknown = signal.reason;
  const stopped =
    signal.aborted && reason instanceof Error
      ? reason.message
      : `the run could not start: ${describeError(error).replace(/\n\s*→\s*/, " ")}`;
  const input = {
    repo: { root: options.repo, key: options.repo, commit: options.commit ?? "" },
    issue: { title: "", body: "" },
    config,
  };
  const usage = createLedger(config.limits).report();
  return buildReport(input, { notes: [] }, stopped, usage, (performance.now() - startedMs) / 1000);
}
