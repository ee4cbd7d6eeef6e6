import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/report.ts";
import { planPublication } from "../../src/publish/plan.ts";
import { renderReportMarkdown } from "../../src/publish/report-md.ts";
import { evidenceTable } from "../../src/publish/report-sections.ts";

const DIFF = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-a = list(v)\n+a = sorted(v)\n";
const report: Report = {
  decision: "patch",
  reason: "group abc turns all 1 reproduction test from failing to passing",
  patch: { group: "abc", diff: DIFF, edits: [], changedPaths: ["m.py"] },
  repo: { key: "local/m", commit: "c0ffee" },
  regressionSummary: {
    tests: 3,
    passing: 3,
    files: 1,
    scope: "related",
    source: "pytest is configured; test files by name",
    leftOut: [],
  },
  localization: {
    files: ["m.py"],
    elements: ["m.py::median"],
    locationSets: [[{ path: "m.py", startLine: 1, endLine: 3 }]],
    notices: [],
  },
  reproduction: {
    tests: [{ id: "t.py::test_m", file: "t.py", kept: true, reason: "kept (assertion): assert 1 == 2" }],
    kept: ["t.py::test_m"],
    framework: "pytest",
  },
  candidates: [
    { id: "r0s1c1", set: 0, round: 0, status: "accepted", group: "abc" },
    { id: "r0s1c2", set: 0, round: 0, status: "refused", reason: "malformed: cut off | inside" },
  ],
  groups: [
    {
      key: "abc",
      votes: 1,
      members: ["r0s1c1"],
      diffSize: 2,
      validated: true,
      why: "",
      diff: DIFF,
      evidence: [],
    },
  ],
  evidence: [
    {
      test: "t.py::test_m",
      kind: "reproduction",
      before: "failed",
      after: "passed",
      command: "pytest t.py",
      exitCode: 0,
    },
  ],
  usage: {
    stages: [{ stage: "repair.sample", calls: 1, promptTokens: 100, completionTokens: 20, dollars: 0.001 }],
    tokens: 120,
    dollars: 0.001,
    notes: [],
  },
  seconds: 3.2,
};

describe("report.md", () => {
  it("puts the decision and its evidence first, then reproduction, candidates, localization and spend", () => {
    const md = renderReportMarkdown(report);
    expect(md.startsWith("# autofix report — Patch proposed\n\n**Why:** group abc turns")).toBe(true);
    expect(md).toContain("```diff\ndiff --git a/m.py b/m.py");
    expect(md).toContain("| `t.py::test_m` (reproduction) | ❌ failed | ✅ passed | #1 → 0 |");
    expect(md).toContain("- r0s1c2: refused — malformed: cut off \\| inside");
    expect(md).toContain("Files: `m.py`");
    expect(md).toContain("| **total** | | | 120 tokens | 0.0010 |");
    expect(md.indexOf("## Evidence")).toBeLessThan(md.indexOf("## Reproduction tests"));
  });

  it("shows the same evidence table as the pull request body (one renderer, one report)", () => {
    const md = renderReportMarkdown(report);
    const plan = planPublication(report, {
      issueNumber: 7,
      defaultBranch: "main",
      triggeredBy: "alice",
      branchPrefix: "autofix/",
      draft: true,
      protectedPaths: [],
      budgetDollars: 2,
    });
    if (plan.kind !== "pull-request") throw new Error(`expected a pull request, got ${plan.kind}`);
    const table = evidenceTable(report.evidence);
    expect(table).toContain("| test | before | after | run → exit code |");
    expect(md).toContain(`## Evidence\n\n${table}\n`);
    expect(plan.pull.body).toContain(`### Evidence\n\n${table}\n`);
  });
});
