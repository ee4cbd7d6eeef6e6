import { describe, expect, it } from "vitest";
import { reportSchema } from "../../src/contract/report.ts";
import { planPublication } from "../../src/publish/plan.ts";
import { patchSummary, pullTitle } from "../../src/publish/pull-text.ts";
import { candidateSection, localizationSection, stageFigures } from "../../src/publish/run-sections.ts";
import { CALC_DIFF, fixReport } from "../support/report-fixture.ts";

const COMMIT = "c".repeat(40);
const context = {
  issueNumber: 5,
  defaultBranch: "main",
  triggeredBy: "alice",
  branchPrefix: "autofix/",
  draft: true,
  protectedPaths: [],
  budgetDollars: 2,
};

describe("the one report, as the publisher reads it", () => {
  it("is what the schema accepts, unchanged", () => {
    const report = fixReport("patch", COMMIT);
    expect(reportSchema.parse(report)).toEqual(report);
  });

  it("a patch becomes a pull request of the validated diff on its commit, titled from the issue", () => {
    const report = { ...fixReport("patch", COMMIT), issue: { number: 5, title: "divide() crashes on zero" } };
    const plan = planPublication(report, context);
    if (plan.kind !== "pull-request") throw new Error(`expected a pull request, got ${plan.kind}`);
    expect(plan.pull.title).toBe("Fix #5: divide() crashes on zero");
    expect(plan.commit).toMatchObject({ diff: CALC_DIFF, baseCommit: COMMIT });
    expect(patchSummary(report)).toBe(
      "This patch changes `calc.py`. A reproduction test written from the issue fails on the current code " +
        "and passes with the patch. It was chosen among 1 distinct candidate (2 of 3 samples proposed it).",
    );
    expect(plan.pull.body).toContain(patchSummary(report));
  });

  it("renders the stage figures, the candidates and the localization trace from the report's own rows", () => {
    const report = fixReport("patch", COMMIT);
    expect(stageFigures(report).map((s) => [s.stage, s.figures])).toEqual([
      ["localize", { files: 1, elements: 1 }],
      ["reproduce", { "tests written": 1, "tests kept": 1 }],
      ["repair", { candidates: 3, groups: 1 }],
      ["validate", { validated: 1 }],
    ]);
    const candidates = candidateSection(report);
    expect(candidates).toContain(
      "3 sampled, 2 applied cleanly, 1 distinct after normalization, 1 validated.",
    );
    expect(candidates).toContain("- 1 × syntax error");
    const trace = localizationSection(report);
    expect(trace).toContain("- `calc.py:1-2`");
    expect(trace).toContain("- test_repro_divide.py — kept (assertion): ZeroDivisionError");
  });

  it("an abstention has no pull request; a suggestion is shown, never pushed", () => {
    const report = {
      ...fixReport("abstain", COMMIT),
      suggestion: { group: "g1", diff: CALC_DIFF, basis: "no-reproduction" as const },
    };
    const plan = planPublication(report, context);
    if (plan.kind !== "abstain") throw new Error(`expected an abstention, got ${plan.kind}`);
    expect(plan.message).toContain("A suggestion (without the evidence a pull request needs");
    expect(plan.message).toContain(CALC_DIFF.trim());
  });

  it("a long issue title makes a pull request title of at most 72 characters", () => {
    const title = pullTitle(12, `The parser  drops\nthe timezone ${"x".repeat(100)}`);
    expect(title.length).toBe(72);
    expect(title.startsWith("Fix #12: The parser drops the timezone x")).toBe(true);
    expect(title.endsWith("…")).toBe(true);
    expect(pullTitle(3, "  ")).toBe("Fix #3");
    expect(pullTitle(3, undefined)).toBe("Fix #3");
  });
});
