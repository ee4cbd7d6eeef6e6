import type { Baseline, BaselineTest } from "../../src/repo-tests/baseline.ts";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import type { TestRunner } from "../../src/repo-tests/types.ts";
import type { Sandbox, SandboxFile, SandboxLimits } from "../../src/sandbox/sandbox.ts";
import { gitShow } from "./checkout.ts";
import type { BugInstance } from "./dataset.ts";

export type ReproductionRun = {
  sandbox: Sandbox;
  image: string;
  runner: TestRunner;
  limits: Partial<SandboxLimits>;
  instance: BugInstance;
  gitDir: string;
  /** The test_patch's files at the test commit, and which of them hold tests. */
  testFiles: SandboxFile[];
  reproFiles: string[];
  /** The reproduction files run on the buggy code (several times). */
  baseline: Baseline;
  /** Paths the gold fix changes. */
  fixedPaths: readonly string[];
};

export type KeptIds = { ids: string[] } | { stage: string; reason: string };

/** `test/a.js > suite > inner > title` → `suite inner title` (mocha's fullTitle). */
export function fullTitle(id: string): string {
  return id.split(" > ").slice(1).join(" ");
}

const failing = (test: BaselineTest) => test.outcome === "failed" || test.outcome === "error";

/**
 * The reproduction tests kept for a bug: its recorded FAIL_TO_PASS titles that fail in every
 * baseline run; without a record, the test_patch's tests that fail in every baseline run and pass
 * with the fix (the fixed files as the fix commit has them), as SWE-bench defines FAIL_TO_PASS.
 */
export async function keptReproductionIds(run: ReproductionRun): Promise<KeptIds> {
  const inRepro = run.baseline.tests.filter((test) => run.reproFiles.includes(test.file ?? ""));
  const problems = run.baseline.problems.map((problem) => problem.split("\n")[0]).join("; ");
  const recorded = run.instance.FAIL_TO_PASS_approx;
  if (recorded !== undefined) {
    const wanted = new Set(recorded);
    const candidates = inRepro.filter((test) => wanted.has(fullTitle(test.id)));
    const ids = candidates.filter(failing).map((test) => test.id);
    if (ids.length > 0) return { ids };
    const seen =
      candidates.map((test) => `${fullTitle(test.id)}: ${test.outcome}`).join("; ") ||
      `mocha reported no result under ${recorded.map((t) => `"${t}"`).join(", ")}`;
    return {
      stage: "baseline",
      reason: `no FAIL_TO_PASS test fails on the base commit (${seen})${problems ? `; ${problems}` : ""}`,
    };
  }
  const failingBefore = inRepro.filter(failing);
  if (failingBefore.length === 0) {
    return {
      stage: "baseline",
      reason: `no test of the test_patch fails steadily on the buggy code (${inRepro.length} ran)${problems ? `; ${problems}` : ""}`,
    };
  }
  const fixed = run.fixedPaths.flatMap((path) => {
    const content = gitShow(run.gitDir, run.instance.fixed_commit, path);
    return content === null ? [] : [{ path, content }];
  });
  const withFix = await runTests(run.sandbox, {
    image: run.image,
    runner: run.runner,
    selection: run.reproFiles,
    files: [...run.testFiles, ...fixed],
    limits: run.limits,
  });
  const passing = new Set(withFix.results.filter((r) => r.outcome === "passed").map((r) => r.id));
  const ids = failingBefore.filter((test) => passing.has(test.id)).map((test) => test.id);
  if (ids.length > 0) return { ids };
  return {
    stage: "baseline",
    reason: `none of the ${failingBefore.length} test_patch tests failing on the buggy code passes with the fix${
      withFix.problem ? ` (${withFix.problem.split("\n")[0]})` : ""
    }`,
  };
}
