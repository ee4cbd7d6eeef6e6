import type { RegressionSummary } from "../contract/report.ts";
import { type Baseline, compareRuns, screenBaseline } from "../repo-tests/baseline.ts";
import { runTests } from "../repo-tests/run-tests.ts";
import type { TestRunReport } from "../repo-tests/types.ts";
import type { KeptTest, ReproductionRow } from "../reproduce/reproduce.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { RegressionSuite, ReproductionSuite } from "../validate/suites.ts";
import type { TestEnvironment } from "./test-environment.ts";

/** Baseline runs on the unpatched code: a test whose outcome changes between them is flaky. */
const BASELINE_RUNS = 2;

export type ScreenedTests = {
  reproduction: ReproductionSuite;
  regression: RegressionSuite;
  /** Rows for reproduction tests dropped by the screening (flaky, or passing after all). */
  dropped: ReproductionRow[];
  notes: string[];
};

/**
 * The evidence base, on the unpatched code. The kept reproduction tests run again, twice, on their
 * own: one that passes or flips proves nothing and is dropped. The regression selection is screened
 * twice (see screenRegression), keeping what finishes inside the sandbox's limits.
 */
export async function screenTests(
  env: TestEnvironment,
  kept: readonly KeptTest[],
  sandbox: Sandbox,
): Promise<ScreenedTests> {
  const files = kept.map((test) => ({ path: test.path, content: test.text }));
  const spec = { image: env.image, runner: env.detection.runner, limits: env.limits };
  const reproBaseline =
    files.length === 0
      ? compareRuns([])
      : await screenBaseline(sandbox, {
          ...spec,
          selection: files.map((file) => file.path),
          files,
          runs: BASELINE_RUNS,
        });
  const ids: string[] = [];
  const dropped: ReproductionRow[] = [];
  for (const test of kept) {
    for (const id of test.ids) {
      const outcome = reproBaseline.tests.find((t) => t.id === id)?.outcome ?? "missing";
      if (outcome === "failed" || outcome === "error") ids.push(id);
      else
        dropped.push({
          id,
          file: test.path,
          kept: false,
          reason: `rejected (${outcome} when run again on the unpatched code)`,
        });
    }
  }
  const notes: string[] = [];
  const regression = await screenRegression(env, sandbox, notes);
  return { reproduction: { files, ids, baseline: reproBaseline }, regression, dropped, notes };
}

/**
 * Each selected file runs alone first, most related first, while the time spent stays under half the
 * sandbox's test timeout: a file that cannot finish is left out (noted), and the rest is known to fit
 * in one run. Then the files kept run together, the second baseline run (flaky tests flip between them).
 * A plain test command (`sandbox.test`) is one whole-suite run, judged by its exit code.
 */
async function screenRegression(
  env: TestEnvironment,
  sandbox: Sandbox,
  notes: string[],
): Promise<RegressionSuite> {
  const spec = { image: env.image, runner: env.detection.runner, limits: env.limits };
  if (env.detection.framework === "command") {
    const runs = [
      await runTests(sandbox, { ...spec, selection: null }),
      await runTests(sandbox, { ...spec, selection: null }),
    ];
    const baseline = compareRuns(runs);
    const command = env.detection.runner.plan(null).command;
    const summary = { ...summarize(baseline, "command", 0, env.detection.reason, []), command };
    return { selection: null, baseline, summary };
  }
  if (env.regression.length === 0) {
    const why =
      env.detection.testFiles.length === 0
        ? "the test discovery found no test file"
        : "no test file was selected";
    notes.push(`no regression test to run: ${why} (${env.testSource})`);
    return noRegression(why, env.testSource, []);
  }
  if (env.regressionScope === "package") {
    notes.push(
      `no regression test relates to the localized files by imports or names: their package's ${env.regression.length} test files are run instead`,
    );
  }
  const budgetMs = env.limits.timeoutMs / 2;
  const kept: string[] = [];
  const alone: TestRunReport[] = [];
  const leftOut: RegressionSummary["leftOut"] = [];
  let spentMs = 0;
  for (const [i, file] of env.regression.entries()) {
    if (spentMs >= budgetMs) {
      const reason = `time budget: the files run before it took ${seconds(spentMs)} s of the ${seconds(budgetMs)} s allowed`;
      leftOut.push(...env.regression.slice(i).map((rest) => ({ file: rest, reason })));
      notes.push(`${env.regression.length - i} less related regression test files left out: ${reason}`);
      break;
    }
    const limits = { ...env.limits, timeoutMs: Math.max(budgetMs - spentMs, MIN_FILE_TIMEOUT_MS) };
    const report = await runTests(sandbox, { ...spec, limits, selection: [file] });
    spentMs += report.run.durationMs;
    if (unfinished(report)) {
      const reason = report.problem ?? "did not finish";
      leftOut.push({ file, reason });
      notes.push(`regression test file ${file} left out: ${reason}`);
    } else {
      kept.push(file);
      alone.push(report);
    }
  }
  if (kept.length === 0) {
    return noRegression(
      `all ${env.regression.length} selected test files were left out`,
      env.testSource,
      leftOut,
    );
  }
  const together = await runTests(sandbox, { ...spec, selection: kept });
  const baseline = compareRuns([merged(alone), together]);
  const scope = env.regressionScope === "command" ? "suite" : env.regressionScope;
  return {
    selection: kept,
    baseline,
    summary: summarize(baseline, scope, kept.length, env.testSource, leftOut),
  };
}

function summarize(
  baseline: Baseline,
  scope: RegressionSummary["scope"],
  files: number,
  source: string,
  leftOut: RegressionSummary["leftOut"],
): RegressionSummary {
  const tests = baseline.tests.length;
  const passing = baseline.tests.filter((test) => test.outcome === "passed").length;
  const why =
    tests === 0
      ? "the selected test files reported no test"
      : passing > 0
        ? undefined
        : scope === "command"
          ? "the test command does not pass steadily on the unpatched code"
          : `none of the ${tests} regression tests passed steadily on the unpatched code`;
  return { tests, passing, files, scope, source, leftOut, ...(why ? { why } : {}) };
}

function noRegression(why: string, source: string, leftOut: RegressionSummary["leftOut"]): RegressionSuite {
  return {
    selection: [],
    baseline: compareRuns([]),
    summary: { tests: 0, passing: 0, files: 0, scope: "none", source, leftOut, why },
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(0);
}

/** A file given less than this is not worth starting. */
const MIN_FILE_TIMEOUT_MS = 30_000;

/** The one-file runs as one run, so they compare with the run of all files together. */
function merged(reports: readonly TestRunReport[]): TestRunReport {
  const [first] = reports;
  if (!first) throw new Error("merged() needs at least one report");
  return {
    ...first,
    results: reports.flatMap((report) => report.results),
    missing: reports.flatMap((report) => report.missing),
  };
}

function unfinished(report: TestRunReport): boolean {
  return report.run.timedOut || report.run.outputCapped || report.run.oomKilled;
}
