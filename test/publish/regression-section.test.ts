import { describe, expect, it } from "vitest";
import { type RegressionSummary, type Report, reportSchema } from "../../src/contract/report.ts";
import { type PlanContext, planPublication } from "../../src/publish/plan.ts";
import { regressionSection, suggestionNote } from "../../src/publish/regression-section.ts";
import { renderReportMarkdown } from "../../src/publish/report-md.ts";
import { fixReport } from "../support/report-fixture.ts";

const SOURCE = "package.json scripts.test: mocha tests/lib --recursive";

const related: RegressionSummary = {
  tests: 142,
  passing: 140,
  files: 12,
  scope: "related",
  source: SOURCE,
  leftOut: [],
};

describe("the regression evidence section", () => {
  it("states tests, files, passing before, how they were chosen and the discovery source", () => {
    const text = regressionSection(related);
    expect(text).toContain(
      "**Regression evidence:** 142 tests in 12 files ran, 140 passing before any patch; chosen from tests related to the localized files (imports, names, folders).",
    );
    expect(text).toContain(`Test files listed by: ${SOURCE}.`);
    expect(regressionSection({ ...related, tests: 1, files: 1, passing: 1, scope: "package" })).toContain(
      "1 test in 1 file ran, 1 passing before any patch; chosen from the localized files' package",
    );
  });

  it("says plainly when no regression test ran, and why", () => {
    const none: RegressionSummary = {
      tests: 0,
      passing: 0,
      files: 0,
      scope: "none",
      source: "pytest is configured; test files by name",
      leftOut: [],
      why: "the test discovery found no test file",
    };
    expect(regressionSection(none)).toMatch(
      /^\*\*Regression evidence:\*\* no regression test ran — the test discovery found no test file\./,
    );
    expect(regressionSection(undefined)).toBe("**Regression evidence:** not recorded for this run.");
  });

  it("names a plain test command as one whole-suite command judged by its exit code", () => {
    const command: RegressionSummary = {
      tests: 1,
      passing: 1,
      files: 0,
      scope: "command",
      source: "sandbox.test in the repo config",
      command: "make check",
      leftOut: [],
    };
    expect(regressionSection(command)).toBe(
      "**Regression evidence:** one whole-suite command, `make check`, judged by its exit code (passing before any patch; sandbox.test in the repo config).",
    );
  });

  it("counts the files left out by reason and lists the first ten, escaped", () => {
    const budget = "time budget: the files run before it took 150 s of the 150 s allowed";
    const leftOut = [
      { file: "tests/slow|one.js", reason: "timed out after 150 s" },
      ...Array.from({ length: 12 }, (_, i) => ({ file: `tests/t${i}.js`, reason: budget })),
    ];
    const text = regressionSection({ ...related, scope: "suite", leftOut });
    expect(text).toContain(`13 test files left out (1 × timed out after 150 s; 12 × ${budget}):`);
    expect(text).toContain("- `tests/slow\\|one.js`: timed out after 150 s");
    expect(text).toContain("- `tests/t8.js`:");
    expect(text).not.toContain("tests/t9.js");
    expect(text).toContain("- _and 3 more_");
  });
});

describe("the suggestion note", () => {
  it("claims nothing about existing tests that did not run", () => {
    const none = { ...related, tests: 0, passing: 0, files: 0, scope: "none" as const };
    expect(suggestionNote("no-reproduction", related)).toBe(
      "No test could show that this candidate fixes the issue; the 140 existing tests that passed before still pass with it.",
    );
    expect(suggestionNote("no-reproduction", none)).toContain("no existing test could run");
    expect(suggestionNote("no-regression", none)).toContain(
      "turns the reproduction tests from failing to passing, but no existing test could run",
    );
  });
});

describe("every report carries it", () => {
  const context: PlanContext = {
    issueNumber: 7,
    defaultBranch: "main",
    triggeredBy: "octocat",
    branchPrefix: "autofix/",
    draft: true,
    protectedPaths: [],
    budgetDollars: 2,
  };
  const runReport = (decision: "patch" | "abstain"): Report =>
    reportSchema.parse({
      decision,
      reason: "because",
      usage: { tokens: 1, dollars: 0 },
      regressionSummary: related,
      ...(decision === "patch" ? { patch: { diff: "diff --git a/a b/a\n" } } : {}),
    });

  it("in the pull request body and in the abstain comment", () => {
    const pull = planPublication(runReport("patch"), context);
    const abstain = planPublication(runReport("abstain"), context);
    expect(pull.kind === "pull-request" ? pull.pull.body : "").toContain(
      "**Regression evidence:** 142 tests in 12 files",
    );
    expect(abstain.kind === "abstain" ? abstain.message : "").toContain(
      "**Regression evidence:** 142 tests in 12 files",
    );
  });

  it("in report.md, with the suggestion titled by what it lacks", () => {
    const fix: Report = {
      ...fixReport("abstain", "c0ffee"),
      regressionSummary: {
        ...related,
        tests: 0,
        passing: 0,
        files: 0,
        scope: "none",
        why: "all 3 selected test files were left out",
      },
      suggestion: { group: "g1", diff: "diff --git a/a b/a\n", basis: "no-regression" },
    };
    const markdown = renderReportMarkdown(fix);
    expect(markdown).toContain(
      "## Regression evidence\n\n**Regression evidence:** no regression test ran — all 3 selected test files were left out.",
    );
    expect(markdown).toContain("## Suggestion (not proven: no regression test could run)");
  });
});
