import { BudgetExceededError } from "../llm/errors.ts";
import { NoTestsError } from "../testing/test-repo.ts";
import { establishTests } from "./phases/establish-tests.ts";
import { localizeIssue } from "./phases/localize-issue.ts";
import { repairAndValidate } from "./phases/repair-and-validate.ts";
import { startRun } from "./phases/run-context.ts";
import { buildFixReport, emptyTrace } from "./report.ts";
import type { FixInput, FixReport, FixServices } from "./types.ts";

/**
 * The whole run: localize → reproduce → repair → validate → decide. Every step is checked by
 * execution; a patch comes out only with fail-before/pass-after evidence. Running out of budget or
 * finding no tests ends the run with what was done and why, never with a patch it cannot prove.
 */
export async function runFix(input: FixInput, services: FixServices): Promise<FixReport> {
  const started = performance.now();
  const trace = emptyTrace();
  const run = startRun(input, services, trace);
  try {
    const located = await localizeIssue(run);
    const tests = located && (await establishTests(run, located));
    if (located && tests) await repairAndValidate(run, located, tests);
  } catch (error) {
    if (!(error instanceof BudgetExceededError || error instanceof NoTestsError)) throw error;
    trace.stopped = error.hint ? `${error.message} ${error.hint}` : error.message;
  }
  return buildFixReport(input, trace, services.ledger.report(), (performance.now() - started) / 1000);
}
