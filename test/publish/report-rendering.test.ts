import { describe, expect, it } from "vitest";
import { type Report, type ReportInput, reportSchema } from "../../src/contract/report.ts";
import {
  BODY_MAX_CHARS,
  type PlanContext,
  planPublication,
  withinGitHubLimit,
} from "../../src/publish/plan.ts";
import { evidenceTable } from "../../src/publish/report-sections.ts";

// The PR body and the abstain comment are pure functions of the report: these tests read them.

const context: PlanContext = {
  issueNumber: 7,
  defaultBranch: "main",
  triggeredBy: "octocat",
  branchPrefix: "autofix/",
  draft: true,
  protectedPaths: [],
  budgetDollars: 2,
};

const DIFF =
  "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def divide(a, b):\n-    return a / b\n+    return a / b if b else 0\n";

function fullReport(overrides: Partial<ReportInput> = {}): Report {
  return reportSchema.parse({
    decision: "patch",
    reason: "one group passed the reproduction test and every selected existing test",
    issue: { number: 7, title: "divide() crashes on zero" },
    repo: { key: "octo/calc", commit: "a".repeat(40) },
    evidence: [
      {
        test: "test_repro.py::test_divide_by_zero",
        kind: "reproduction",
        before: "fail",
        after: "pass",
        command: "python -m pytest test_repro.py",
        exitCode: 0,
      },
      { test: "test_calc.py::test_add", kind: "regression", before: "pass", after: "pass", exitCode: null },
    ],
    localization: {
      files: ["calc.py"],
      elements: ["calc.py::divide"],
      locationSets: [[{ path: "calc.py", startLine: 1, endLine: 2 }]],
      notices: ["retrieval only: the model named no file"],
    },
    reproduction: {
      tests: [{ id: "r1", file: "test_repro.py", kept: true, reason: "kept (assertion): ZeroDivisionError" }],
      kept: ["r1"],
    },
    candidates: [
      { id: "c1", set: 0, round: 0, status: "accepted", group: "g1" },
      { id: "c2", set: 0, round: 0, status: "accepted", group: "g1" },
      { id: "c3", set: 0, round: 0, status: "accepted", group: "g2" },
      { id: "c4", set: 0, round: 0, status: "refused", reason: "syntax error: unexpected indent" },
    ],
    groups: [
      { key: "g1", votes: 2, validated: true, why: "", diffSize: 2 },
      { key: "g2", votes: 1, validated: false, why: "test_repro.py still fails | </details>", diffSize: 3 },
    ],
    usage: {
      tokens: 9_876,
      dollars: 0.1234,
      stages: [
        { stage: "localize.files", calls: 1, promptTokens: 1_000, completionTokens: 200, dollars: 0.01 },
        { stage: "repair.sample", calls: 2, promptTokens: 8_000, completionTokens: 676, dollars: 0.1134 },
      ],
    },
    patch: { group: "g1", diff: DIFF, changedPaths: ["calc.py"] },
    ...overrides,
  });
}

describe("the pull request body", () => {
  const plan = planPublication(fullReport(), context);
  if (plan.kind !== "pull-request") throw new Error(`expected a pull request, got ${plan.kind}`);
  const body = plan.pull.body;

  it("links the issue, says what and why, and shows each test with its command and exit code", () => {
    expect(body.startsWith("Fixes #7\n\nThis patch changes `calc.py`.")).toBe(true);
    expect(body).toContain("**Why this patch:** one group passed the reproduction test");
    expect(body).toContain("| test | before | after | run → exit code |");
    expect(body).toContain(
      "| `test_repro.py::test_divide_by_zero` (reproduction) | ❌ fail | ✅ pass | #1 → 0 |",
    );
    expect(body).toContain("| `test_calc.py::test_add` | ✅ pass | ✅ pass | — → killed |");
    expect(body).toContain("Runs:\n- #1: `python -m pytest test_repro.py`");
  });

  it("collapses the localization trace and the candidates, escaping what could break out", () => {
    const trace =
      /<details><summary>Localization trace<\/summary>([\s\S]*?)<\/details>/.exec(body)?.[1] ?? "";
    expect(trace).toContain("**Files:**\n- `calc.py`");
    expect(trace).toContain("**Edit locations:**\n- `calc.py:1-2`");
    expect(trace).toContain("- test_repro.py — kept (assertion): ZeroDivisionError");
    const candidates = /<details><summary>Candidates and groups<\/summary>([\s\S]*?)\n\n<\/details>/.exec(
      body,
    )?.[1];
    expect(candidates).toContain(
      "4 sampled, 3 applied cleanly, 2 distinct after normalization, 1 validated.",
    );
    expect(candidates).toContain("- 1 × syntax error");
    expect(candidates).toContain("| `g2` | 1 | 3 | ❌ | test_repro.py still fails \\| &lt;/details&gt; |");
    expect(body.match(/<details>/g)?.length).toBe(3);
    expect(body.match(/<\/details>/g)?.length).toBe(3);
  });

  it("shows tokens and dollars, in total and per stage", () => {
    expect(body).toContain("Spent 9,876 tokens, $0.12 of $2.00.");
    expect(body).toContain("<details><summary>Spending per stage</summary>");
    expect(body).toContain("| repair.sample | 2 | 8,676 | $0.1134 |");
  });

  it("builds the branch from the validated diff on the validated commit", () => {
    expect(plan.commit).toEqual({
      message: "Fix #7: divide() crashes on zero\n\nFixes #7",
      edits: [],
      diff: DIFF,
      baseCommit: "a".repeat(40),
    });
  });

  it("refuses a diff that touches a protected path", () => {
    const diff = `${DIFF}diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n`;
    const patch = { diff };
    const refused = planPublication(fullReport({ patch }), context);
    expect(refused.kind === "abstain" && refused.message).toContain("`.github/workflows/ci.yml`");
  });
});

describe("the abstain comment", () => {
  it("says why, what was tried (trace, candidates, best evidence) and offers a suggestion only as text", () => {
    const plan = planPublication(
      fullReport({
        decision: "abstain",
        reason: "no candidate made the reproduction test pass",
        patch: undefined,
        suggestion: { group: "g2", diff: DIFF, basis: "no-reproduction" },
      }),
      context,
    );
    if (plan.kind !== "abstain") throw new Error("expected an abstention");
    expect(plan.message).toContain("**Why no pull request:** no candidate made the reproduction test pass");
    expect(plan.message).toContain(
      "**What was tried:** localize (files: 1, elements: 1); reproduce (tests written: 1, tests kept: 1); " +
        "repair (candidates: 4, groups: 2); validate (validated: 1).",
    );
    expect(plan.message).toContain("<details><summary>Candidates and groups</summary>");
    expect(plan.message).toContain("<details><summary>Test evidence of the best candidate</summary>");
    expect(plan.message).toContain(
      "<summary>A suggestion (without the evidence a pull request needs, so not proposed as one)</summary>",
    );
    expect(plan.message).toContain("```diff\ndiff --git a/calc.py b/calc.py");
    // The status comment around it shows the total; the message adds only the per-stage rows.
    expect(plan.message).not.toContain("Spent");
    expect(plan.message).toContain("| localize.files | 1 | 1,200 | $0.0100 |");
  });
});

describe("the evidence table", () => {
  it("lists each distinct command once, numbered, and points each row at its run", () => {
    const table = evidenceTable([
      { test: "a", before: "failed", after: "passed", command: "pytest a b", exitCode: 0 },
      { test: "b", before: "passed", after: "passed", command: "pytest a b", exitCode: 0 },
      { test: "c", before: "passed", after: "failed", command: "pytest c", exitCode: 1 },
    ]);
    expect(table.split("\n")).toEqual([
      "| test | before | after | run → exit code |",
      "|---|---|---|---|",
      "| `a` | ❌ failed | ✅ passed | #1 → 0 |",
      "| `b` | ✅ passed | ✅ passed | #1 → 0 |",
      "| `c` | ✅ passed | ❌ failed | #2 → 1 |",
      "",
      "Runs:",
      "- #1: `pytest a b`",
      "- #2: `pytest c`",
    ]);
  });

  it("keeps the short form when no command was recorded, and fences backticks in test names", () => {
    expect(evidenceTable([{ test: "a`b", before: "error", after: "pass" }])).toBe(
      "| test | before | after |\n|---|---|---|\n| <code>a`b</code> | ❌ error | ✅ pass |",
    );
    // pytest's words as the runners report them
    expect(evidenceTable([{ test: "t", before: "failed", after: "passed" }])).toContain(
      "| ❌ failed | ✅ passed |",
    );
    expect(evidenceTable([])).toBe("_No test evidence was recorded._");
  });

  it("shows every changed test but summarizes a large suite's steady passes, so the body stays small", () => {
    const rows = [
      { test: "t_repro.py::test_bug", kind: "reproduction" as const, before: "failed", after: "passed" },
      { test: "t_x.py::test_broken", kind: "regression" as const, before: "passed", after: "failed" },
      ...Array.from({ length: 500 }, (_, i) => ({
        test: `t_big.py::test_${i}`,
        kind: "regression" as const,
        before: "passed",
        after: "passed",
      })),
    ];
    const table = evidenceTable(rows);
    expect(table).toContain("t_repro.py::test_bug");
    expect(table).toContain("t_x.py::test_broken");
    expect(table).toContain("t_big.py::test_39`");
    expect(table).not.toContain("t_big.py::test_40`");
    expect(table).toContain("_and 460 more regression tests that passed before and after_");
  });
});

describe("a body GitHub would refuse", () => {
  it("is cut at a line under 60,000 characters, saying so", () => {
    const huge = Array.from({ length: 5_000 }, (_, i) => `line ${i} ${"x".repeat(30)}`).join("\n");
    const cut = withinGitHubLimit(huge);
    expect(cut.length).toBeLessThanOrEqual(BODY_MAX_CHARS);
    expect(cut).toMatch(/x\n\n_…cut here: the full report is longer than a GitHub comment allows._$/);
    expect(withinGitHubLimit("short")).toBe("short");
  });

  it("never comes out of a pull request plan, whatever the trace holds", () => {
    const notices = Array.from({ length: 3_000 }, () => "y".repeat(80));
    const plan = planPublication(fullReport({ localization: { notices } }), context);
    const body = plan.kind === "pull-request" ? plan.pull.body : "";
    expect(body.length).toBeGreaterThan(50_000);
    expect(body.length).toBeLessThanOrEqual(BODY_MAX_CHARS);
  });
});
