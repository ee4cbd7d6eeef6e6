import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Report, reportSchema } from "../../src/contract/report.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { autofixAgainst, type CliRun, gitRepoFrom, withScriptedModel } from "./fix-helpers.ts";

const gate = await dockerGate("autofix fix end-to-end (Python)");
const FIXTURE = path.resolve("test/fixtures/fix/py-median");
const cache = mkdtempSync(path.join(tmpdir(), "autofix-fix-cache-"));

type Scenario = {
  /** A script file, or simple rules (stage pattern → one reply) written into one. */
  script?: string;
  rules?: Record<string, string>;
  config?: string;
  repoDir?: string;
};

type Outcome = {
  run: CliRun;
  summary: Record<string, unknown>;
  report: Report;
  out: string;
  stages: string[];
};

/** `autofix fix --json` on a fresh copy of the fixture, against the SCRIPTED model. */
async function fix(scenario: Scenario): Promise<Outcome> {
  const repo = gitRepoFrom(scenario.repoDir ?? path.join(FIXTURE, "repo"));
  const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
  const args = ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"];
  if (scenario.config !== undefined) {
    writeFileSync(path.join(out, "autofix.yml"), scenario.config);
    args.push("--config", path.join(out, "autofix.yml"));
  }
  let script = scenario.script;
  if (script === undefined) {
    script = path.join(out, "script.yml");
    const rules = Object.entries(scenario.rules ?? {}).map(
      ([stage, content]) =>
        `  - when: { stage: ${JSON.stringify(stage)} }\n    reply: { content: ${JSON.stringify(content)} }\n`,
    );
    writeFileSync(
      script,
      `rules:\n${rules.join("") || "  []\n"}fallback:\n  content: "I'm sorry, but I can't help with that request."\n`,
    );
  }
  return withScriptedModel(script, async (model) => {
    const run = await autofixAgainst(model, args, cache);
    const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    const summary = JSON.parse(run.stdout || "{}") as Record<string, unknown>;
    return { run, summary, report, out, stages: model.requests.map((request) => request.stage) };
  });
}

const RIGHT_FIX =
  "```python\n### textstats/stats.py\n<<<<<<< SEARCH\n    ordered = list(values)\n=======\n    ordered = sorted(values)\n>>>>>>> REPLACE\n```";
const IMPORT_ERROR_TEST =
  "```python\nfrom textstats.statistics import median\n\n\ndef test_median():\n    assert median([3, 1, 2]) == 2\n```";

describe.skipIf(gate.skip)("autofix fix on a small Python project (scripted model, real Docker)", () => {
  it("chooses the right candidate: its reformatted twins share its group, wrong and malformed ones lose", async () => {
    const { run, summary, report, out } = await fix({ script: path.join(FIXTURE, "model-mixed.yml") });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(summary).toMatchObject({
      decision: "patch",
      patchPath: path.join(out, "patch.diff"),
      validatedGroups: 1,
    });
    expect(readFileSync(path.join(out, "patch.diff"), "utf8")).toContain(
      "-    ordered = list(values)\n+    ordered = sorted(values)",
    );

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
    const { run, summary, stages, out, report } = await fix({
      script: path.join(FIXTURE, "model-wrong.yml"),
    });
    expect(run.code).toBe(3);
    expect(summary).toMatchObject({ decision: "abstain", patchPath: null, validatedGroups: 0 });
    expect(String(summary.reason)).toMatch(/^no group was validated: .*failed→failed/);
    expect(stages).toContain("repair.refine");
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    expect(report.evidence.length).toBeGreaterThan(0);
  });

  it("abstains, saying so, when the model returns nothing usable", async () => {
    const { run, report } = await fix({});
    expect(run.code).toBe(3);
    expect(report.reason).toMatch(/no usable candidate patch/);
    expect(report.reproduction.kept).toEqual([]);
    expect(report.candidates.length).toBeGreaterThan(0);
    expect(report.candidates.every((c) => c.status === "refused" && c.reason?.startsWith("empty"))).toBe(
      true,
    );
  });

  it("stops when the budget runs out mid-run and reports what was spent", async () => {
    const { run, report, out } = await fix({
      script: path.join(FIXTURE, "model-mixed.yml"),
      config: "localization:\n  locationSets: 1\nlimits:\n  maxTokensPerRun: 6000\n",
    });
    expect(run.code).toBe(3);
    expect(report.reason).toMatch(/budget|ceiling|maxTokensPerRun/i);
    expect(report.usage.tokens).toBeGreaterThan(0);
    expect(report.usage.tokens).toBeLessThanOrEqual(6000);
    expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
  });

  it("rejects a reproduction test that hangs (sandbox timeout, reported) and stops when told to", async () => {
    const hanging =
      "```python\nfrom textstats.stats import median\n\n\ndef test_median_waits():\n    while True:\n        pass\n```";
    const { run, report, stages } = await fix({
      rules: { "reproduce.sample": hanging },
      config: "reproduction:\n  samples: 1\n  whenMissing: stop\nsandbox:\n  testTimeoutSeconds: 5\n",
    });
    expect(run.code).toBe(3);
    expect(report.reproduction.tests[0]?.reason).toMatch(/^rejected \(run problem\): .*timed out/);
    expect(report.reason).toMatch(
      /no reproduction test could be established \(reproduction.whenMissing: stop\)/,
    );
    expect(stages.some((stage) => stage.startsWith("repair"))).toBe(false);
  });

  it("without a reproduction test, offers a regression-passing candidate only as a suggestion, never a patch", async () => {
    const { run, report, out } = await fix({
      rules: { "reproduce.sample": IMPORT_ERROR_TEST, "repair.*": RIGHT_FIX },
    });
    expect(run.code).toBe(3);
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
    const { run, report } = await fix({ repoDir: source });
    expect(run.code).toBe(3);
    expect(report.reason).toMatch(/^No tests found in .*Add tests, or set `sandbox.test`/s);
    expect(report.localization.files).toContain("textstats/stats.py");
  });
});
