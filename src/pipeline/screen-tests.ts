import type { KeptTest } from "../reproduce/reproduce.ts";
import type { Sandbox, SandboxFile } from "../sandbox/sandbox.ts";
import { type Baseline, compareRuns, screenBaseline } from "../testing/baseline.ts";
import { runTests } from "../testing/run-tests.ts";
import type { TestRunReport } from "../testing/types.ts";
import type { TestEnvironment } from "./test-environment.ts";
import type { ReproductionRow } from "./types.ts";

/** Baseline runs on the unpatched code: a test whose outcome changes between them is flaky. */
const BASELINE_RUNS = 2;

export type ReproductionSuite = { files: SandboxFile[]; ids: string[]; baseline: Baseline };
/** `selection` null: the whole suite (a plain test command); empty: no regression test to run. */
export type RegressionSuite = { selection: string[] | null; baseline: Baseline };

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
    return { selection: null, baseline: compareRuns(runs) };
  }
  if (env.regression.length === 0) {
    notes.push(
      "no regression test relates to the localized files: candidates are judged by the reproduction tests alone",
    );
    return { selection: [], baseline: compareRuns([]) };
  }
  const budgetMs = env.limits.timeoutMs / 2;
  const kept: string[] = [];
  const alone: TestRunReport[] = [];
  let spentMs = 0;
  for (const [i, file] of env.regression.entries()) {
    if (spentMs >= budgetMs) {
      notes.push(
        `${env.regression.length - i} less related regression test files left out: the others already take ${(spentMs / 1000).toFixed(0)} s`,
      );
      break;
    }
    const limits = { ...env.limits, timeoutMs: Math.max(budgetMs - spentMs, MIN_FILE_TIMEOUT_MS) };
    const report = await runTests(sandbox, { ...spec, limits, selection: [file] });
    spentMs += report.run.durationMs;
    if (unfinished(report)) notes.push(`regression test file ${file} left out: ${report.problem}`);
    else {
      kept.push(file);
      alone.push(report);
    }
  }
  if (kept.length === 0) return { selection: [], baseline: compareRuns([]) };
  const together = await runTests(sandbox, { ...spec, selection: kept });
  return { selection: kept, baseline: compareRuns([merged(alone), together]) };
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
