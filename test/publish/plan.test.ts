import { describe, expect, it } from "vitest";
import { type Report, type ReportInput, reportSchema } from "../../src/contract/report.ts";
import { type PlanContext, planPublication, protectedEdits } from "../../src/publish/plan.ts";

const context: PlanContext = {
  issueNumber: 42,
  defaultBranch: "main",
  triggeredBy: "octocat",
  branchPrefix: "autofix/",
  draft: true,
  protectedPaths: [".github/**"],
  budgetDollars: 2,
};

function report(overrides: Partial<ReportInput> = {}): Report {
  return reportSchema.parse({
    decision: "patch",
    reason: "one candidate group passed the reproduction test and the existing tests",
    issue: { number: 42, title: "Division by zero in divide()" },
    localization: {
      files: ["calc.py", "util.py"],
      elements: ["calc.py::divide"],
      notices: ["calc.py: divide </details> ```injected fence```"],
    },
    evidence: [
      { test: "tests/test_calc.py::test_div|zero", before: "fail", after: "pass" },
      { test: "tests/test_calc.py::test_add", before: "pass", after: "pass" },
    ],
    usage: { tokens: 12_345, dollars: 0.4 },
    patch: {
      edits: [{ path: "calc.py", search: "return a / b", replace: "return a / b if b else 0" }],
    },
    ...overrides,
  });
}

describe("the publish plan", () => {
  it("turns a patch into a branch, one commit and a draft PR body with evidence, trace and spend", () => {
    const plan = planPublication(report(), context);
    if (plan.kind !== "pull-request") throw new Error(`expected a pull request, got ${plan.kind}`);
    expect(plan.branch).toBe("autofix/issue-42");
    expect(plan.base).toBe("main");
    expect(plan.reviewer).toBe("octocat");
    expect(plan.pull.draft).toBe(true);
    expect(plan.pull.title).toBe("Fix #42: Division by zero in divide()");
    expect(plan.commit.message).toBe("Fix #42: Division by zero in divide()\n\nFixes #42");
    expect(plan.commit.edits).toEqual(report().patch?.edits);
    const body = plan.pull.body;
    expect(body.startsWith("Fixes #42\n")).toBe(true);
    expect(body).toContain("| `tests/test_calc.py::test_div\\|zero` | ❌ fail | ✅ pass |");
    expect(body).toContain("| `tests/test_calc.py::test_add` | ✅ pass | ✅ pass |");
    expect(body).toMatch(/<details><summary>[^<]+<\/summary>[\s\S]*calc\.py: divide[\s\S]*<\/details>/);
    // A notice cannot close the <details> block it sits in.
    expect(body).toContain("- calc.py: divide &lt;/details&gt; ```injected fence```");
    expect(body).toContain("Spent 12,345 tokens, $0.40 of $2.00.");
  });

  it("honours the configured prefix and draft setting, and the body says draft only for a draft", () => {
    const plan = planPublication(report(), { ...context, branchPrefix: "bots/fix-", draft: false });
    expect(plan.kind === "pull-request" && [plan.branch, plan.pull.draft]).toEqual([
      "bots/fix-issue-42",
      false,
    ]);
    expect(plan.kind === "pull-request" && plan.pull.body).toContain("_Opened by autofix: review it");
    expect(plan.kind === "pull-request" && plan.pull.body).not.toContain("draft");
    const draft = planPublication(report(), context);
    expect(draft.kind === "pull-request" && draft.pull.body).toContain(
      "_Opened by autofix as a draft: review it",
    );
  });

  it("abstains with what was tried and why when the pipeline abstained", () => {
    const plan = planPublication(
      report({ decision: "abstain", reason: "no candidate passed the reproduction test", patch: undefined }),
      context,
    );
    expect(plan.kind).toBe("abstain");
    if (plan.kind !== "abstain") return;
    expect(plan.message).toContain("**Why no pull request:** no candidate passed the reproduction test");
    expect(plan.message).toContain(
      "localize (files: 2, elements: 1); reproduce (tests written: 0, tests kept: 0); repair (candidates: 0, groups: 0); validate (validated: 0)",
    );
  });

  it("never changes protected paths: a patch touching one becomes an abstention", () => {
    const edits = [
      { path: "calc.py", search: "a", replace: "b" },
      { path: ".github/workflows/ci.yml", search: "on: push", replace: "on: {}" },
    ];
    const patch = { edits };
    const plan = planPublication(report({ patch }), { ...context, protectedPaths: [] });
    expect(plan.kind).toBe("abstain");
    expect(plan.kind === "abstain" && plan.message).toContain("`.github/workflows/ci.yml` (github-config)");
  });

  it("uses the repair stage's matcher: built-in rules, any case or spelling, also in the diff's paths", () => {
    const diff = [
      "diff --git a/tests/conftest.py b/tests/conftest.py",
      "diff --git a/./.GITHUB//workflows/ci.yml b/./.GITHUB//workflows/ci.yml",
      "diff --git a/.git/config b/.git/config",
      "diff --git a/calc.py b/calc.py",
    ].join("\n");
    const patch = { edits: [{ path: "calc.py", search: "a", replace: "b" }], diff };
    const plan = planPublication(report({ patch }), { ...context, protectedPaths: [] });
    expect(plan.kind === "abstain" && plan.message).toContain(
      "(`tests/conftest.py` (test-files), `.GITHUB/workflows/ci.yml` (github-config), `.git/config` (git-internals))",
    );
  });

  it("matches configured globs, and always .github/**", () => {
    const edits = ["src/a.ts", "secrets/key.pem", ".github/CODEOWNERS"].map((path) => ({
      path,
      search: "x",
      replace: "y",
    }));
    expect(protectedEdits(edits, ["secrets/**"])).toEqual(["secrets/key.pem", ".github/CODEOWNERS"]);
    expect(protectedEdits(edits, [])).toEqual([".github/CODEOWNERS"]);
    const sneaky = ["package.json", "Secrets/Key.pem", "src/.mocharc.yml"].map((path) => ({
      path,
      search: "x",
      replace: "y",
    }));
    expect(protectedEdits(sneaky, ["secrets/**"])).toEqual([
      "package.json",
      "Secrets/Key.pem",
      "src/.mocharc.yml",
    ]);
  });
});
