import { describe, expect, it } from "vitest";
import { compareRuns } from "../../src/repo-tests/baseline.ts";
import type { TestOutcome, TestRunReport } from "../../src/repo-tests/types.ts";
import type { RunResult } from "../../src/sandbox/sandbox.ts";
import { collectEvidence } from "../../src/validate/collect-evidence.ts";
import { decide } from "../../src/validate/decide.ts";

function report(outcomes: Record<string, TestOutcome>, run: Partial<RunResult> = {}): TestRunReport {
  const timedOut = run.timedOut ?? false;
  return {
    framework: "pytest",
    command: "python3 -m pytest -q",
    results: Object.entries(outcomes).map(([id, outcome]) => ({
      id,
      file: id.split("::")[0] ?? id,
      outcome,
    })),
    run: {
      exitCode: 1,
      timedOut,
      oomKilled: false,
      outputCapped: false,
      durationMs: 10,
      stdout: "",
      stderr: "",
      truncated: false,
      collected: {},
      ...run,
    },
    noTests: false,
    problem: timedOut ? "timed out" : null,
    missing: [],
  };
}

const REPRO = "tests/test_repro.py::test_mean";
const reproductionBaseline = compareRuns([report({ [REPRO]: "failed" }), report({ [REPRO]: "failed" })]);
const regressionBaseline = compareRuns([
  report({ "tests/test_stats.py::test_sum": "passed", "tests/test_stats.py::test_flaky": "passed" }),
  report({ "tests/test_stats.py::test_sum": "passed", "tests/test_stats.py::test_flaky": "failed" }),
]);
const base = {
  key: "g1",
  votes: 2,
  diffSize: 2,
  keptReproductionIds: [REPRO],
  reproductionBaseline,
  regressionBaseline,
};

describe("collectEvidence", () => {
  it("pairs before and after per test, with command and exit code, and validates a real fix", () => {
    const after = report(
      {
        [REPRO]: "passed",
        "tests/test_stats.py::test_sum": "passed",
        "tests/test_stats.py::test_flaky": "failed",
      },
      { exitCode: 1 },
    );
    const evidence = collectEvidence({ ...base, after: [after] });
    expect(evidence.reproduction).toEqual([
      { id: REPRO, before: "failed", after: "passed", command: "python3 -m pytest -q", exitCode: 1 },
    ]);
    expect(evidence.regression.map((t) => [t.id, t.before, t.after])).toEqual([
      ["tests/test_stats.py::test_sum", "passed", "passed"],
      ["tests/test_stats.py::test_flaky", "flaky", "failed"],
    ]);
    expect(decide([evidence], { keptReproductionIds: [REPRO] }).chosen).toBe("g1");
  });

  it("never validates from a run that timed out, whatever its partial results say", () => {
    const after = report(
      { [REPRO]: "passed", "tests/test_stats.py::test_sum": "passed" },
      { timedOut: true },
    );
    const evidence = collectEvidence({ ...base, after: [after] });
    expect(evidence.reproduction[0]?.after).toBe("missing");
    expect(decide([evidence], { keptReproductionIds: [REPRO] }).decision).toBe("abstain");
  });
});
