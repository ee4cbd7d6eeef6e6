import { describe, expect, it } from "vitest";
import { runReportSchema } from "../../src/contract/report.ts";
import { pullTitle, toRunReport } from "../../src/worker/fix-report.ts";
import { CALC_DIFF, fixReport } from "./fix-report-fixture.ts";

const COMMIT = "c".repeat(40);
const issue = { number: 5, title: "divide() crashes on zero" };

describe("FixReport → RunReport", () => {
  it("carries the validated diff on its commit, the evidence rows, spend per stage and the trace", () => {
    const report = toRunReport(fixReport("patch", COMMIT), issue);
    expect(runReportSchema.parse(report)).toEqual(report); // what the publisher reads is valid
    expect(report.patch).toMatchObject({
      title: "Fix #5: divide() crashes on zero",
      diff: CALC_DIFF,
      baseCommit: COMMIT,
    });
    expect(report.patch?.summary).toBe(
      "This patch changes `calc.py`. A reproduction test written from the issue fails on the current code " +
        "and passes with the patch. It was chosen among 1 distinct candidate (2 of 3 samples proposed it).",
    );
    expect(report.evidence[0]).toEqual({
      test: "test_repro_divide.py::test_divide_by_zero",
      kind: "reproduction",
      before: "fail",
      after: "pass",
      command: "python -m pytest -q test_repro_divide.py",
      exitCode: 0,
    });
    expect([report.tokens, report.dollars]).toEqual([3_000, 0.04]);
    expect(report.usage).toEqual([
      { stage: "localize.files", calls: 1, tokens: 1_000, dollars: 0.01 },
      { stage: "repair.sample", calls: 1, tokens: 2_000, dollars: 0.03 },
    ]);
    expect(report.localization?.locations).toEqual(["calc.py:1-2"]);
    expect(report.localization?.reproduction).toEqual([
      "test_repro_divide.py — kept (assertion): ZeroDivisionError",
    ]);
    expect(report.candidates).toEqual({
      sampled: 3,
      accepted: 2,
      refused: { "syntax error": 1 },
      groups: [{ key: "g1", votes: 2, validated: true, why: "", diffSize: 2 }],
    });
    expect(report.stages.map((s) => [s.stage, s.figures])).toEqual([
      ["localize", { files: 1, elements: 1 }],
      ["reproduce", { "tests written": 1, "tests kept": 1 }],
      ["repair", { candidates: 3, groups: 1 }],
      ["validate", { validated: 1 }],
    ]);
  });

  it("an abstention has no patch; a regression-only candidate becomes a suggestion, never a patch", () => {
    const fix = {
      ...fixReport("abstain", COMMIT),
      suggestion: { group: "g1", diff: CALC_DIFF, basis: "no-reproduction" as const },
    };
    const report = toRunReport(fix, issue);
    expect(report.decision).toBe("abstain");
    expect(report.patch).toBeUndefined();
    expect(report.suggestion?.diff).toBe(CALC_DIFF);
  });

  it("a long issue title makes a pull request title of at most 72 characters", () => {
    const title = pullTitle({ number: 12, title: `The parser  drops\nthe timezone ${"x".repeat(100)}` });
    expect(title.length).toBe(72);
    expect(title.startsWith("Fix #12: The parser drops the timezone x")).toBe(true);
    expect(title.endsWith("…")).toBe(true);
    expect(pullTitle({ number: 3, title: "  " })).toBe("Fix #3");
  });
});
