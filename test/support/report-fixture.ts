import type { Report } from "../../src/contract/report.ts";

/** The validated diff of the calc.py bug of the worker fixture (`divide` by zero). */
export const CALC_DIFF =
  "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def divide(a, b):\n" +
  "-    return a / b\n+    return a / b if b else 0\n";

/** A report as `runFix` returns it, for tests that FAKE `runFix` or render a report. */
export function fixReport(decision: "patch" | "abstain", commit: string): Report {
  const evidence = [
    {
      test: "test_repro_divide.py::test_divide_by_zero",
      kind: "reproduction" as const,
      before: "fail",
      after: decision === "patch" ? "pass" : "fail",
      command: "python -m pytest -q test_repro_divide.py",
      exitCode: decision === "patch" ? 0 : 1,
    },
  ];
  const group = {
    key: "g1",
    votes: 2,
    members: ["c1", "c2"],
    diffSize: 2,
    validated: decision === "patch",
    why: decision === "patch" ? "" : "the reproduction test still fails",
    diff: CALC_DIFF,
    evidence,
  };
  return {
    decision,
    reason:
      decision === "patch"
        ? "one group made the reproduction test pass and broke no existing test"
        : "no candidate made the reproduction test pass",
    ...(decision === "patch"
      ? {
          patch: {
            group: "g1",
            diff: CALC_DIFF,
            edits: [{ path: "calc.py", search: "return a / b", replace: "return a / b if b else 0" }],
            changedPaths: ["calc.py"],
          },
        }
      : {}),
    repo: { key: "127.0.0.1/octo/calc", commit },
    regressionSummary: {
      tests: 4,
      passing: 4,
      files: 1,
      scope: "related",
      source: "pytest is configured; test files by name",
      leftOut: [],
    },
    localization: {
      files: ["calc.py"],
      elements: ["calc.py::divide"],
      locationSets: [[{ path: "calc.py", startLine: 1, endLine: 2 }]],
      notices: [],
    },
    reproduction: {
      tests: [
        {
          id: "r1",
          file: "test_repro_divide.py",
          kept: true,
          reason: "kept (assertion): ZeroDivisionError",
        },
      ],
      kept: ["r1"],
      framework: "pytest",
    },
    candidates: [
      { id: "c1", set: 0, round: 0, status: "accepted", group: "g1" },
      { id: "c2", set: 0, round: 0, status: "accepted", group: "g1" },
      { id: "c3", set: 0, round: 0, status: "refused", reason: "syntax error: unexpected indent" },
    ],
    groups: [group],
    evidence,
    usage: {
      stages: [
        { stage: "localize.files", calls: 1, promptTokens: 900, completionTokens: 100, dollars: 0.01 },
        { stage: "repair.sample", calls: 1, promptTokens: 1_500, completionTokens: 500, dollars: 0.03 },
      ],
      tokens: 3_000,
      dollars: 0.04,
      notes: [],
    },
    seconds: 12,
  };
}
