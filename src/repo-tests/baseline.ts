import type { Sandbox } from "../sandbox/sandbox.ts";
import { type RunTestsSpec, runTests } from "./run-tests.ts";
import type { TestOutcome, TestResult, TestRunReport } from "./types.ts";

export type ObservedOutcome = TestOutcome | "missing";

export type BaselineTest = {
  id: string;
  file: string | null;
  /** The outcome every conclusive run agreed on, or "flaky" when they differed. */
  outcome: TestOutcome | "flaky";
  /** One per conclusive run, in order. */
  observed: ObservedOutcome[];
  message?: string;
};

export type Baseline = {
  runs: number;
  /** Runs whose results could be compared (no timeout, memory kill or output cap). */
  conclusiveRuns: number;
  tests: BaselineTest[];
  /** Ids whose outcome changed between runs: excluded from judging. */
  flaky: string[];
  /** Per-run problems (a run that timed out is left out of the comparison). */
  problems: string[];
  reports: TestRunReport[];
};

/**
 * Run the selected tests on the unpatched code `runs` times (each in a fresh container) and mark
 * the tests whose outcome changes as flaky. A test with a 50% flip chance escapes K runs with
 * probability 2·0.5^K (K=2: 50%, K=5: 6%, K=10: 0.2%): more runs catch more flakiness.
 */
export async function screenBaseline(
  sandbox: Sandbox,
  spec: RunTestsSpec & { runs: number },
): Promise<Baseline> {
  const runs = Math.max(1, Math.floor(spec.runs));
  const reports: TestRunReport[] = [];
  for (let i = 0; i < runs; i++) reports.push(await runTests(sandbox, spec));
  return compareRuns(reports);
}

/** Fold several runs of the same selection into one baseline. */
export function compareRuns(reports: TestRunReport[]): Baseline {
  const problems = reports.flatMap((report, i) =>
    report.problem ? [`run ${i + 1}: ${report.problem}`] : [],
  );
  const conclusive = reports.filter((r) => !r.run.timedOut && !r.run.oomKilled && !r.run.outputCapped);
  const order: string[] = [];
  const byId = new Map<string, { file: string | null; message?: string }>();
  for (const report of conclusive) {
    for (const result of report.results) {
      if (!byId.has(result.id)) order.push(result.id);
      const known = byId.get(result.id);
      byId.set(result.id, {
        file: result.file,
        ...((known?.message ?? result.message) ? { message: known?.message ?? result.message } : {}),
      });
    }
  }
  const tests = order.map((id): BaselineTest => {
    const observed = conclusive.map(
      (report): ObservedOutcome => report.results.find((r) => r.id === id)?.outcome ?? "missing",
    );
    const distinct = new Set(observed);
    const first = observed[0];
    const outcome = distinct.size === 1 && first !== undefined && first !== "missing" ? first : "flaky";
    const known = byId.get(id);
    return {
      id,
      file: known?.file ?? null,
      outcome,
      observed,
      ...(known?.message ? { message: known.message } : {}),
    };
  });
  return {
    runs: reports.length,
    conclusiveRuns: conclusive.length,
    tests,
    flaky: tests.filter((t) => t.outcome === "flaky").map((t) => t.id),
    problems,
    reports,
  };
}

export type Regression = { id: string; before: "passed"; after: ObservedOutcome; message?: string };

/** Tests that passed steadily on the baseline and do not pass now. Flaky tests never count. */
export function findRegressions(baseline: Baseline, after: readonly TestResult[]): Regression[] {
  return baseline.tests
    .filter((test) => test.outcome === "passed")
    .flatMap((test): Regression[] => {
      const now = after.find((result) => result.id === test.id);
      if (now?.outcome === "passed") return [];
      return [
        {
          id: test.id,
          before: "passed",
          after: now?.outcome ?? "missing",
          ...(now?.message ? { message: now.message } : {}),
        },
      ];
    });
}
