import type { Sandbox, SandboxFile, SandboxLimits } from "../sandbox/sandbox.ts";
import { parseFrameworkIdentity } from "./runners/framework-version.ts";
import { problemOf } from "./runners/run-problem.ts";
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
    collect: plan.versionFile === undefined ? plan.collect : [...plan.collect, plan.versionFile],
    files: [...(plan.files ?? []), ...(spec.files ?? [])],
    ...(spec.workspaceDir === undefined ? {} : { workspaceDir: spec.workspaceDir }),
    ...(spec.limits === undefined ? {} : { limits: spec.limits }),
  });
  const all = spec.runner.parse(run);
  const results = selection === null ? all : all.filter(isSelected(selection));
  const missing = selection === null ? [] : selection.filter((id) => !results.some((r) => covers(id, r)));
  const identity = parseFrameworkIdentity(
    plan.versionFile === undefined ? undefined : run.collected[plan.versionFile],
  );
  const { framework } = spec.runner;
  const { command, collect: reports } = plan;
  return {
    framework: spec.runner.framework,
    command: plan.command,
    results,
    run,
    noTests: all.length === 0 && !run.timedOut && !run.oomKilled && !run.outputCapped,
    problem: problemOf({ framework, command, run, resultCount: all.length, reports, identity }),
    missing,
    ...(identity === null || !/^\d/.test(identity.version) ? {} : { frameworkVersion: identity.version }),
  };
}

/** A selected test, a test of a selected file, or an error of a file the selection has tests of. */
function isSelected(selection: readonly string[]): (result: TestResult) => boolean {
  const ids = new Set(selection);
  const files = new Set(selection.map(fileOfId));
  return (result) =>
    ids.has(result.id) ||
    (result.file !== null && ids.has(result.file)) ||
    (result.id === result.file && files.has(result.file));
}

/** Whether a result answers for a selected id: the test itself, a test of a selected file, or its file's load error. */
function covers(id: string, result: TestResult): boolean {
  return (
    result.id === id || result.file === id || (result.id === result.file && fileOfId(id) === result.file)
  );
}
