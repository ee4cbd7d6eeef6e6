import type { Report } from "../contract/report.ts";
import { describeError } from "../errors.ts";
import {
  BudgetExceededError,
  LlmRequestError,
  LlmResponseError,
  LlmUnavailableError,
} from "../llm/errors.ts";
import { NoTestsError } from "../repo-tests/test-repo.ts";
import { establishTests } from "./phases/establish-tests.ts";
import { localizeIssue } from "./phases/localize-issue.ts";
import { repairAndValidate } from "./phases/repair-and-validate.ts";
import { createRunContext, type RunContext } from "./phases/run-context.ts";
import { buildReport, type PhaseResults } from "./report.ts";
import type { FixInput, FixServices } from "./types.ts";

/** Once the run is cancelled, how long its phases get to wind down before the report is built anyway. */
const CANCEL_GRACE_MS = 5_000;

const partialReports = new WeakMap<object, Report>();

/** The report of a run that ended with this error: what it did before (localization, reproduction…). */
export function partialReportOf(error: unknown): Report | undefined {
  return typeof error === "object" && error !== null ? partialReports.get(error) : undefined;
}

/**
 * The whole run: localize → reproduce → repair → validate → decide. Every step is checked by
 * execution; a patch comes out only with fail-before/pass-after evidence. Running out of budget or
 * finding no tests ends the run with what was done and why, never with a patch it cannot prove.
 * A cancelled run (services.signal) returns its report with `stopped`; any other error is thrown
 * with the report so far attached (partialReportOf), so a model outage loses no localization.
 */
export async function runFix(input: FixInput, services: FixServices): Promise<Report> {
  const started = performance.now();
  const run = createRunContext(input, services);
  // Each phase's result, or what it reported before it ended: the report is built from whatever is here.
  const results: PhaseResults = { notes: run.notes };
  const finish = (stopped?: string): Report =>
    buildReport(input, results, stopped, services.ledger.report(), (performance.now() - started) / 1000);
  try {
    await untilCancelled(phases(run, results), services.signal);
    if (services.signal?.aborted) return finish(cancelledBecause(services.signal));
  } catch (error) {
    if (services.signal?.aborted) return finish(cancelledBecause(services.signal));
    if (error instanceof BudgetExceededError || error instanceof NoTestsError) {
      return finish(error.hint ? `${error.message} ${error.hint}` : error.message);
    }
    if (typeof error === "object" && error !== null) partialReports.set(error, finish(failedBecause(error)));
    throw error;
  }
  return finish();
}

/** The phases in order, each result kept in `results` as soon as the phase returns (or reports). */
async function phases(run: RunContext, results: PhaseResults): Promise<void> {
  const localized = await localizeIssue(run);
  results.localized = localized;
  if (!("located" in localized)) return;
  const tests = await establishTests(run, localized.located, (soFar) => {
    results.tests = soFar;
  });
  results.tests = tests;
  if (tests.established === undefined) return;
  results.repaired = await repairAndValidate(run, localized.located, tests.established, (soFar) => {
    results.repaired = soFar;
  });
}

/** The work's outcome, or — once `signal` fires — a rejection at most CANCEL_GRACE_MS later. */
function untilCancelled(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return work;
  // Left behind after the grace, its later failure must not surface as an unhandled rejection.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(() => reject(signal.reason), CANCEL_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([work, cancelled]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  });
}

function cancelledBecause(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== "AbortError"
    ? describeError(reason)
    : "the run was cancelled";
}

function failedBecause(error: unknown): string {
  const model =
    error instanceof LlmUnavailableError ||
    error instanceof LlmRequestError ||
    error instanceof LlmResponseError;
  return `${model ? "the model endpoint failed" : "the run failed"}: ${describeError(error).replace(/\n\s*→\s*/, " ")}`;
}
