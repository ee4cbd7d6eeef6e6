import { detectFramework } from "../../src/repo-tests/detect.ts";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import type { TestResult, TestRunner } from "../../src/repo-tests/types.ts";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { Counts, SideResult } from "./types.ts";

type AutofixPlan = { framework: string; files: string[]; runner: TestRunner; source: string };

/** What autofix finds in the checkout: its test files and the runner it would use. */
export function autofixPlan(root: string): AutofixPlan | null {
  const detection = detectFramework(root);
  if (detection === null) return null;
  return {
    framework: detection.framework,
    files: [...detection.testFiles].sort(),
    runner: detection.runner,
    source: detection.reason,
  };
}

/** `test/a.js > suite > name` → `suite name`, the full title mocha's json reporter prints. */
function fullTitle(result: TestResult): string {
  return result.id.split(" > ").slice(1).join(" ");
}

/** Per outcome, mocha's full titles (`byFullTitle`) or the ids (pytest node ids). */
export function titlesOf(
  results: readonly TestResult[],
  byFullTitle: boolean,
): { passed: string[]; failed: string[] } {
  const name = byFullTitle ? fullTitle : (result: TestResult) => result.id;
  const of = (keep: (result: TestResult) => boolean) => results.filter(keep).map(name);
  return {
    passed: of((result) => result.outcome === "passed"),
    failed: of((result) => result.outcome === "failed" || result.outcome === "error"),
  };
}

export function countOutcomes(results: readonly TestResult[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    if (result.outcome === "passed") counts.passed++;
    else if (result.outcome === "skipped") counts.skipped++;
    else counts.failed++;
  }
  return counts;
}

/** Autofix's runner on the whole suite (`selection: null`), as the pipeline's baseline runs it. */
export async function runAutofixSide(
  sandbox: Sandbox,
  image: string,
  root: string,
  timeoutMs: number,
): Promise<SideResult> {
  const plan = autofixPlan(root);
  if (plan === null) return { version: "none", files: null, counts: null, problem: "autofix finds no tests" };
  const report = await runTests(sandbox, {
    image,
    runner: plan.runner,
    selection: null,
    limits: { timeoutMs, outputBytes: 16 * 1024 ** 2 },
  });
  const problem = report.problem === null ? null : clipped(report.problem);
  return {
    version: plan.framework,
    files: plan.files,
    counts: report.results.length === 0 && problem !== null ? null : countOutcomes(report.results),
    titles: titlesOf(report.results, plan.framework === "mocha"),
    problem,
  };
}

const PROBLEM_CHARS = 300;

/** A problem's first line and last output line, short enough for a table cell. */
function clipped(problem: string): string {
  const lines = problem.split("\n").filter((line) => line.trim() !== "");
  const first = lines[0] ?? "";
  const head = first.length > PROBLEM_CHARS ? `${first.slice(0, PROBLEM_CHARS)}…` : first;
  const last = lines.length > 1 ? lines[lines.length - 1]?.trim() : undefined;
  return last === undefined ? head : `${head} … ${last.slice(0, 200)}`;
}
