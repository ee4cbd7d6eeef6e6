import type { Sandbox, SandboxFile, SandboxLimits } from "../sandbox/sandbox.ts";
import { fileOfId, type TestResult, type TestRunner, type TestRunReport } from "./types.ts";

export type RunTestsSpec = {
  image: string;
  runner: TestRunner;
  /** Test ids or file paths; null runs the whole suite. */
  selection?: readonly string[] | null;
  /** Host checkout to copy in (not needed for a prepared image, which has it). */
  workspaceDir?: string;
  /** Files written over the workspace first, e.g. a candidate patch or a reproduction test. */
  files?: SandboxFile[];
  limits?: Partial<SandboxLimits>;
};

/** Run a selection of tests in the sandbox and read back one result per test. */
export async function runTests(sandbox: Sandbox, spec: RunTestsSpec): Promise<TestRunReport> {
  const selection = spec.selection && spec.selection.length > 0 ? spec.selection : null;
  const plan = spec.runner.plan(selection);
  const run = await sandbox.run({
    image: spec.image,
    command: plan.command,
    collect: plan.collect,
    files: [...(plan.files ?? []), ...(spec.files ?? [])],
    ...(spec.workspaceDir === undefined ? {} : { workspaceDir: spec.workspaceDir }),
    ...(spec.limits === undefined ? {} : { limits: spec.limits }),
  });
  const all = spec.runner.parse(run);
  const results = selection === null ? all : all.filter(isSelected(selection));
  const missing = selection === null ? [] : selection.filter((id) => !results.some((r) => covers(id, r)));
  return {
    framework: spec.runner.framework,
    command: plan.command,
    results,
    run,
    noTests: all.length === 0 && !run.timedOut && !run.oomKilled && !run.outputCapped,
    problem: problemOf(run, all, plan.collect),
    missing,
  };
}

function isSelected(selection: readonly string[]): (result: TestResult) => boolean {
  const ids = new Set(selection);
  return (result) => ids.has(result.id) || (result.file !== null && ids.has(result.file));
}

/** Whether a result answers for a selected id: the test itself, a test of a selected file, or its file's load error. */
function covers(id: string, result: TestResult): boolean {
  return (
    result.id === id || result.file === id || (result.id === result.file && fileOfId(id) === result.file)
  );
}

function problemOf(run: TestRunReport["run"], all: TestResult[], reports: string[]): string | null {
  const seconds = (run.durationMs / 1000).toFixed(1);
  if (run.timedOut) return `the tests timed out after ${seconds}s and were killed`;
  if (run.oomKilled) return "the tests were killed for using more memory than the sandbox allows";
  if (run.outputCapped) return "the tests printed more output than the sandbox keeps and were killed";
  if (all.length > 0) return null;
  const tail = `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-15).join("\n");
  const wroteReport = reports.length === 0 || reports.some((report) => report in run.collected);
  return wroteReport
    ? `no tests ran (exit code ${run.exitCode}). Last output:\n${tail}`
    : `the test command wrote no report (exit code ${run.exitCode}). Last output:\n${tail}`;
}
