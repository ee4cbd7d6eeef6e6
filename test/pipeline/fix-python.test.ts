import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FixReport } from "../../src/pipeline/types.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { autofixAgainst, gitRepoFrom, withScriptedModel } from "./fix-helpers.ts";

const gate = await dockerGate("autofix fix end-to-end (Python)");
const FIXTURE = path.resolve("test/fixtures/fix/py-median");

function readReport(out: string): FixReport {
  return JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")) as FixReport;
}

describe.skipIf(gate.skip)("autofix fix on a small Python project (scripted model, real Docker)", () => {
  const cache = mkdtempSync(path.join(tmpdir(), "autofix-fix-cache-"));

  it("chooses the right candidate: its reformatted twins share its group, wrong and malformed ones lose", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const run = await withScriptedModel(path.join(FIXTURE, "model-mixed.yml"), (model) =>
      autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"],
        cache,
      ),
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      decision: "patch",
      patchPath: path.join(out, "patch.diff"),
      validatedGroups: 1,
    });
    const patch = readFileSync(path.join(out, "patch.diff"), "utf8");
    expect(patch).toContain("-    ordered = list(values)\n+    ordered = sorted(values)");

    const report = readReport(out);
    const chosen = report.groups.find((group) => group.key === report.patch?.group);
    // the greedy answer, its commented + re-spaced twin and the plain duplicate: one group, 3 votes
    expect(chosen?.members).toEqual(["r0s1c1", "r0s1c2", "r0s1c6"]);
    expect(report.groups.filter((group) => !group.validated)).toHaveLength(2);
    expect(report.candidates.find((c) => c.id === "r0s1c5")).toMatchObject({
      status: "refused",
      reason: expect.stringMatching(/^malformed/),
    });
    expect(report.candidates.find((c) => c.id === "r0s1c7")).toMatchObject({
      status: "refused",
      reason: expect.stringMatching(/^protected_path: .*tests\/test_stats.py is a protected path/),
    });
    // evidence: every kept reproduction test failed before and passes after; no regression broke
    const repro = report.evidence.filter((row) => row.kind === "reproduction");
    expect(repro).toHaveLength(2);
    for (const row of repro) expect([row.before, row.after]).toEqual(["failed", "passed"]);
    const regression = report.evidence.filter((row) => row.kind === "regression");
    expect(regression.length).toBeGreaterThanOrEqual(5);
    for (const row of regression) expect(row.after).toBe("passed");
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("## Evidence");

    // reproduction: the import-error test and the truncated answer are rejected, the good test kept once
    expect(report.reproduction.tests.find((t) => t.file.endsWith("test_autofix_repro_1.py"))).toMatchObject({
      kept: false,
      reason: expect.stringMatching(/^rejected \(import error\)/),
    });
    expect(report.reproduction.tests.find((t) => t.id === "sample 4")?.reason).toMatch(/cut off/);
    expect(report.reproduction.kept).toEqual([
      "tests/test_autofix_repro_2.py::test_median_of_unsorted_values",
      "tests/test_autofix_repro_2.py::test_median_of_unsorted_even_count",
    ]);
  });

  it("abstains with the reason, after a refinement round, when every candidate is wrong", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const { run, stages } = await withScriptedModel(path.join(FIXTURE, "model-wrong.yml"), async (model) => {
      const result = await autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"],
        cache,
      );
      return { run: result, stages: model.requests.map((request) => request.stage) };
    });
    expect(run.code).toBe(3);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ decision: "abstain", patchPath: null, validatedGroups: 0 });
    expect(String(summary.reason)).toMatch(/^no group was validated: .*failed→failed/);
    expect(stages).toContain("repair.refine");
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    expect(readReport(out).evidence.length).toBeGreaterThan(0);
  });

  it("abstains, saying so, when the model returns nothing usable", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const script = path.join(out, "refuses.yml");
    writeFileSync(
      script,
      "rules: []\nfallback:\n  content: \"I'm sorry, but I can't help with that request.\"\n",
    );
    const run = await withScriptedModel(script, (model) =>
      autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"],
        cache,
      ),
    );
    expect(run.code).toBe(3);
    const report = readReport(out);
    expect(report.reason).toMatch(/no usable candidate patch/);
    expect(report.reproduction.kept).toEqual([]);
    expect(report.candidates.length).toBeGreaterThan(0);
    expect(report.candidates.every((c) => c.status === "refused" && c.reason?.startsWith("empty"))).toBe(
      true,
    );
  });

  it("stops when the budget runs out mid-run and reports what was spent", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const config = path.join(out, "autofix.yml");
    writeFileSync(config, "localization:\n  locationSets: 1\nlimits:\n  maxTokensPerRun: 6000\n");
    const run = await withScriptedModel(path.join(FIXTURE, "model-mixed.yml"), (model) =>
      autofixAgainst(
        model,
        [
          "fix",
          "--repo",
          repo,
          "--issue",
          path.join(FIXTURE, "issue.md"),
          "--out",
          out,
          "--config",
          config,
          "--json",
        ],
        cache,
      ),
    );
    expect(run.code).toBe(3);
    const report = readReport(out);
    expect(report.reason).toMatch(/budget|ceiling|maxTokensPerRun/i);
    expect(report.usage.tokens).toBeGreaterThan(0);
    expect(report.usage.tokens).toBeLessThanOrEqual(6000);
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
  });

  it("rejects a reproduction test that hangs (sandbox timeout, reported) and stops when told to", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const script = path.join(out, "hangs.yml");
    const hanging =
      "```python\nfrom textstats.stats import median\n\n\ndef test_median_waits():\n    while True:\n        pass\n```";
    writeFileSync(
      script,
      `rules:\n  - when: { stage: reproduce.sample }\n    reply: { content: ${JSON.stringify(hanging)} }\nfallback:\n  content: "no idea"\n`,
    );
    const config = path.join(out, "autofix.yml");
    writeFileSync(
      config,
      "reproduction:\n  samples: 1\n  whenMissing: stop\nsandbox:\n  testTimeoutSeconds: 5\n",
    );
    const { run, stages } = await withScriptedModel(script, async (model) => ({
      run: await autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--config", config],
        cache,
      ),
      stages: model.requests.map((request) => request.stage),
    }));
    expect(run.code).toBe(3);
    const report = readReport(out);
    expect(report.reproduction.tests[0]?.reason).toMatch(/^rejected \(run problem\): .*timed out/);
    expect(report.reason).toMatch(
      /no reproduction test could be established \(reproduction.whenMissing: stop\)/,
    );
    expect(stages.some((stage) => stage.startsWith("repair"))).toBe(false);
  });

  it("without a reproduction test, offers a regression-passing candidate only as a suggestion, never a patch", async () => {
    const repo = gitRepoFrom(path.join(FIXTURE, "repo"));
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const script = path.join(out, "no-repro.yml");
    const importError =
      "```python\nfrom textstats.statistics import median\n\n\ndef test_median():\n    assert median([3, 1, 2]) == 2\n```";
    const right =
      "```python\n### textstats/stats.py\n<<<<<<< SEARCH\n    ordered = list(values)\n=======\n    ordered = sorted(values)\n>>>>>>> REPLACE\n```";
    writeFileSync(
      script,
      `rules:\n  - when: { stage: reproduce.sample }\n    reply: { content: ${JSON.stringify(importError)} }\n  - when: { stage: "repair.*" }\n    reply: { content: ${JSON.stringify(right)} }\nfallback:\n  content: "no idea"\n`,
    );
    const run = await withScriptedModel(script, (model) =>
      autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"],
        cache,
      ),
    );
    expect(run.code).toBe(3);
    const report = readReport(out);
    expect(report.decision).toBe("abstain");
    expect(report.patch).toBeUndefined();
    expect(report.reason).toMatch(/no reproduction test could be established.*offered only as a suggestion/);
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    expect(readFileSync(path.join(out, "suggestion.diff"), "utf8")).toContain(
      "+    ordered = sorted(values)",
    );
  });

  it("ends with a clear reason, and no patch, in a repository without tests", async () => {
    const source = mkdtempSync(path.join(tmpdir(), "autofix-no-tests-"));
    cpSync(path.join(FIXTURE, "repo", "textstats"), path.join(source, "textstats"), { recursive: true });
    const repo = gitRepoFrom(source);
    const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
    const script = path.join(out, "any.yml");
    writeFileSync(script, 'rules: []\nfallback:\n  content: "no idea"\n');
    const run = await withScriptedModel(script, (model) =>
      autofixAgainst(
        model,
        ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out],
        cache,
      ),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/No tests found in .*Add tests, or set `sandbox.test`/s);
    expect(readReport(out).localization.files).toContain("textstats/stats.py");
  });
});
