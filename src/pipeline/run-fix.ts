import { describeError } from "../errors.ts";
import {
  BudgetExceededError,
  LlmRequestError,
  LlmResponseError,
  LlmUnavailableError,
} from "../llm/errors.ts";
import { NoTestsError } from "../testing/test-repo.ts";
import { establishTests } from "./phases/establish-tests.ts";
import { localizeIssue } from "./phases/localize-issue.ts";
import { repairAndValidate } from "./phases/repair-and-validate.ts";
import { createRunContext, type RunContext } from "./phases/run-context.ts";
import { buildFixReport, emptyTrace } from "./report.ts";
import type { FixInput, FixReport, FixServices } from "./types.ts";

/** A report, with why the run ended before its decision when it did (budget, outage, interruption…). */
export type FixRunReport = FixReport & { stopped?: string };

/** Once the run is cancelled, how long its phases get to wind down before the report is built anyway. */
const CANCEL_GRACE_MS = 5_000;

const partialReports = new WeakMap<object, FixRunReport>();

/** The report of a run that ended with this error: what it did before (localization, reproduction…). */
export function partialReportOf(error: unknown): FixRunReport | undefined {
  return typeof error === "object" && error !== null ? partialReports.get(error) : undefined;
}

/**
 * The whole run: localize → reproduce → repair → validate → decide. Every step is checked by
 * execution; a patch comes out only with fail-before/pass-after evidence. Running out of budget or
 * finding no tests ends the run with what was done and why, never with a patch it cannot prove.
 * A cancelled run (services.signal) returns its report with `stopped`; any other error is thrown
 * with the report so far attached (partialReportOf), so a model outage loses no localization.
 */
export async function runFix(input: FixInput, services: FixServices): Promise<FixRunReport> {
  const started = performance.now();
  const trace = emptyTrace();
  const run = createRunContext(input, services, trace);
  const finish = (): FixRunReport => {
    const report = buildFixReport(
      input,
      trace,
      services.ledger.report(),
      (performance.now() - started) / 1000,
    );
    return trace.stopped === undefined ? report : { ...report, stopped: trace.stopped };
  };
  try {
    await untilCancelled(phases(run), services.signal);
    if (services.signal?.aborted) trace.stopped = cancelledBecause(services.signal);
  } catch (error) {
    if (services.signal?.aborted) {
      trace.stopped = cancelledBecause(services.signal);
      return finish();
    }
    if (error instanceof BudgetExceededError || error instanceof NoTestsError) {
      trace.stopped = error.hint ? `${error.message} ${error.hint}` : error.message;
      return finish();
    }
    trace.stopped = failedBecause(error);
    if (typeof error === "object" && error !== null) partialReports.set(error, finish());
    throw error;
  }
  return finish();
}

async function phases(run: RunContext): Promise<void> {
  const located = await localizeIssue(run);
  const tests = located && (await establishTests(run, located));
  if (located && tests) await repairAndValidate(run, located, tests);
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
