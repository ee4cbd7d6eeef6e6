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
 * own: one that passes or flips proves nothing and is dropped. The regression selection runs twice
 * for flakiness; when it cannot finish inside the sandbox's limits it is halved (most related files
 * kept) until it can, and what was left out is noted.
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

async function screenRegression(
  env: TestEnvironment,
  sandbox: Sandbox,
  notes: string[],
): Promise<RegressionSuite> {
  const spec = { image: env.image, runner: env.detection.runner, limits: env.limits };
  let selection: string[] | null = env.detection.framework === "command" ? null : [...env.regression];
  if (selection !== null && selection.length === 0) {
    notes.push(
      "no regression test relates to the localized files: candidates are judged by the reproduction tests alone",
    );
    return { selection: [], baseline: compareRuns([]) };
  }
  let first: TestRunReport = await runTests(sandbox, { ...spec, selection });
  while (first.problem && !first.noTests && selection !== null && selection.length > 1 && unfinished(first)) {
    const half = selection.slice(0, Math.ceil(selection.length / 2));
    notes.push(
      `the regression run of ${selection.length} test files did not finish (${first.problem}); retried with the ${half.length} most related`,
    );
    selection = half;
    first = await runTests(sandbox, { ...spec, selection });
  }
  if (first.problem && unfinished(first)) {
    notes.push(`regression tests dropped: even the smallest selection did not finish (${first.problem})`);
    return { selection: [], baseline: compareRuns([]) };
  }
  const runs = [first];
  for (let i = 1; i < BASELINE_RUNS; i++) runs.push(await runTests(sandbox, { ...spec, selection }));
  return { selection, baseline: compareRuns(runs) };
}

function unfinished(report: TestRunReport): boolean {
  return report.run.timedOut || report.run.outputCapped || report.run.oomKilled;
}
