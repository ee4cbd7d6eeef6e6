import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { partialReportOf } from "../../src/pipeline/run-fix.ts";
import type { RunResult, RunSpec } from "../../src/sandbox/sandbox.ts";
import { FakeSandbox } from "../fakes/fake-sandbox.ts";
import { ScriptedLlm } from "../fakes/scripted-llm.ts";
import { FIXTURE, fixInProcess, MEDIAN_RULES, scriptRules } from "./run-fix-helpers.ts";

// runFix end to end without Docker or a model server: the py-median fixture and its model scripts,
// the ScriptedLlm in-process and a FakeSandbox that plays pytest by MEDIAN_RULES. The same scenarios
// run for real (CLI, scripted model server, Docker) in fix-python.docker.test.ts.

const LOCALIZE_AND_REPRODUCE = ["files", "elements", "lines", "reproduce"];
const fence = (body: string) => `\`\`\`python\n${body}\`\`\`\n`;
const edit = (search: string, replace: string) =>
  fence(`### textstats/stats.py\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n`);
const RIGHT_FIX = edit("    ordered = list(values)\n", "    ordered = sorted(values)\n");
const LOWER_MIDDLE = edit("    middle = len(ordered) // 2\n", "    middle = (len(ordered) - 1) // 2\n");
const SPINS = edit(
  "    ordered = list(values)\n",
  "    ordered = list(values)\n    while True:\n        ordered.sort()\n",
);

describe("runFix without Docker (FakeSandbox, scripted model in-process)", () => {
  it("patch: proposes the group that turns the reproduction tests to passing and breaks no regression test", async () => {
    const sandbox = new FakeSandbox({ rules: MEDIAN_RULES });
    const { report } = await fixInProcess({
      llm: ScriptedLlm.fromFile(path.join(FIXTURE, "model-mixed.yml")),
      sandbox,
    });
    expect(report.stopped).toBeUndefined();
    expect(report.decision).toBe("patch");
    expect(report.patch?.diff).toContain("-    ordered = list(values)\n+    ordered = sorted(values)");
    const chosen = report.groups.find((group) => group.key === report.patch?.group);
    expect(chosen?.members).toEqual(["r0s1c1", "r0s1c2", "r0s1c6"]);
    expect(report.groups.filter((group) => !group.validated)).toHaveLength(2);
    expect(report.reproduction.kept).toEqual([
      "tests/test_autofix_repro_2.py::test_median_of_unsorted_values",
      "tests/test_autofix_repro_2.py::test_median_of_unsorted_even_count",
    ]);
    expect(report.reproduction.tests.find((t) => t.file.endsWith("test_autofix_repro_1.py"))?.reason).toMatch(
      /^rejected \(import error\)/,
    );
    const repro = report.evidence.filter((row) => row.kind === "reproduction");
    expect(repro.map((row) => [row.before, row.after])).toEqual([
      ["failed", "passed"],
      ["failed", "passed"],
    ]);
    const regression = report.evidence.filter((row) => row.kind === "regression");
    expect(regression.map((row) => row.test)).toContain("tests/test_stats.py::test_median_sorted_even");
    expect(regression.every((row) => row.before === "passed" && row.after === "passed")).toBe(true);
    // the candidate editing the test file is refused before it reaches the sandbox
    expect(report.candidates.find((c) => c.id === "r0s1c7")?.reason).toMatch(/^protected_path: /);
    expect(sandbox.runs.flatMap((run) => run.written)).not.toContain("tests/test_stats.py");
  });

  it("abstain: no patch when every candidate is wrong, with the failing evidence as the reason", async () => {
    const llm = ScriptedLlm.fromFile(path.join(FIXTURE, "model-wrong.yml"));
    const { report } = await fixInProcess({ llm, sandbox: new FakeSandbox({ rules: MEDIAN_RULES }) });
    expect(report.decision).toBe("abstain");
    expect(report.patch).toBeUndefined();
    expect(report.reason).toMatch(/^no group was validated: .*failed→failed/);
    expect(report.groups.length).toBeGreaterThan(0);
    expect(report.groups.every((group) => !group.validated)).toBe(true);
    expect(llm.stages).toContain("repair.refine");
  });

  it("refinement: a wrong first round's test output reaches the model, and the refined candidate is proposed", async () => {
    const llm = ScriptedLlm.of({
      rules: [
        ...scriptRules("model-mixed.yml", LOCALIZE_AND_REPRODUCE),
        { when: { stage: "repair.sample" }, reply: { content: LOWER_MIDDLE } },
        // only a refinement prompt that carries the failing assertion gets the right fix
        { when: { stage: "repair.refine", prompt: "assert 1 == 2" }, reply: { content: RIGHT_FIX } },
      ],
      fallback: { content: "I'm sorry, but I can't help with that request." },
    });
    const { report } = await fixInProcess({ llm, sandbox: new FakeSandbox({ rules: MEDIAN_RULES }) });
    expect(llm.stages).toContain("repair.refine");
    expect(report.decision).toBe("patch");
    const chosen = report.groups.find((group) => group.key === report.patch?.group);
    expect(chosen?.members.every((id) => report.candidates.find((c) => c.id === id)?.round === 1)).toBe(true);
    expect(report.patch?.diff).toContain("+    ordered = sorted(values)");
    expect(report.groups.find((group) => group.diff.includes("(len(ordered) - 1) // 2"))?.validated).toBe(
      false,
    );
  });

  it("budget: stops when the token ceiling is reached, with what was spent and no patch", async () => {
    const { report } = await fixInProcess({
      llm: ScriptedLlm.fromFile(path.join(FIXTURE, "model-mixed.yml")),
      sandbox: new FakeSandbox({ rules: MEDIAN_RULES }),
      config: "localization:\n  locationSets: 1\nlimits:\n  maxTokensPerRun: 6000\n",
    });
    expect(report.stopped).toMatch(/budget|ceiling|maxTokensPerRun/i);
    expect(report.decision).toBe("abstain");
    expect(report.patch).toBeUndefined();
    expect(report.usage.tokens).toBeGreaterThan(0);
    expect(report.usage.tokens).toBeLessThanOrEqual(6000);
  });

  it("no tests: a repository without tests ends with the clear reason before any test runs", async () => {
    const source = mkdtempSync(path.join(tmpdir(), "autofix-no-tests-"));
    cpSync(path.join(FIXTURE, "repo", "textstats"), path.join(source, "textstats"), { recursive: true });
    const sandbox = new FakeSandbox({ rules: MEDIAN_RULES });
    const { report } = await fixInProcess({
      llm: ScriptedLlm.fromFile(path.join(FIXTURE, "model-mixed.yml")),
      sandbox,
      repoDir: source,
    });
    expect(report.decision).toBe("abstain");
    expect(report.stopped).toMatch(/^No tests found in .*Add tests, or set `sandbox.test`/s);
    expect(report.localization.files).toContain("textstats/stats.py");
    expect(sandbox.runs).toEqual([]);
  });

  it("hang: a reproduction test that times out is rejected as a run problem, and the run stops when told to", async () => {
    const hanging = fence(
      "from textstats.stats import median\n\n\ndef test_median_waits():\n    while True:\n        pass\n",
    );
    const llm = ScriptedLlm.of([
      ...scriptRules("model-mixed.yml", ["files", "elements", "lines"]),
      { when: { stage: "reproduce.sample" }, reply: { content: hanging } },
      { when: { stage: "repair.*" }, reply: { content: RIGHT_FIX } },
    ]);
    const { report } = await fixInProcess({
      llm,
      sandbox: new FakeSandbox({
        rules: [{ test: /::test_median_waits$/, outcome: "hang" }, ...MEDIAN_RULES],
      }),
      config: "reproduction:\n  samples: 1\n  whenMissing: stop\nsandbox:\n  testTimeoutSeconds: 5\n",
    });
    expect(llm.stages.some((stage) => stage.startsWith("repair"))).toBe(false);
    expect(report.reproduction.tests[0]?.reason).toMatch(/^rejected \(run problem\): .*timed out/);
    expect(report.stopped).toMatch(
      /no reproduction test could be established \(reproduction.whenMissing: stop\)/,
    );
    expect(report.decision).toBe("abstain");
    expect(report.candidates).toEqual([]);
  });

  it("hang: a candidate whose tests time out is not validated; the right candidate is proposed", async () => {
    const llm = ScriptedLlm.of({
      rules: [
        ...scriptRules("model-mixed.yml", LOCALIZE_AND_REPRODUCE),
        { when: { stage: "repair.sample" }, replies: [{ content: SPINS }, { choices: [SPINS, RIGHT_FIX] }] },
      ],
    });
    const sandbox = new FakeSandbox({ rules: MEDIAN_RULES });
    const { report } = await fixInProcess({
      llm,
      sandbox,
      config: "localization:\n  locationSets: 1\nrepair:\n  candidatesPerSet: 3\n",
    });
    const spinning = report.groups.find((group) => group.diff.includes("while True"));
    expect(spinning?.validated).toBe(false);
    // killed at the time limit, the run wrote no report: its tests are missing, not passing
    expect(spinning?.why).toMatch(/failed→missing/);
    expect(sandbox.runs.some((run) => run.timedOut)).toBe(true);
    expect(report.decision).toBe("patch");
    expect(report.patch?.diff).not.toContain("while True");
    expect(report.patch?.diff).toContain("+    ordered = sorted(values)");
  });

  it("error: a sandbox failing during validation throws, with a partial report of every phase so far", async () => {
    const sandbox = new SandboxFailingOnCandidates({ rules: MEDIAN_RULES });
    const failed = await fixInProcess({
      llm: ScriptedLlm.fromFile(path.join(FIXTURE, "model-mixed.yml")),
      sandbox,
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    const report = partialReportOf(failed);
    expect(report?.stopped).toBe("the run failed: the engine went away");
    expect(report?.decision).toBe("abstain");
    expect(report?.localization.files).toContain("textstats/stats.py");
    expect(report?.reproduction.framework).toBe("pytest");
    expect(report?.reproduction.kept).toHaveLength(2);
    expect(report?.regressionSummary?.tests).toBeGreaterThan(0);
    // the repair phase's partial outcome: the candidates sampled before validation failed
    expect(report?.candidates.length).toBeGreaterThan(0);
    expect(report?.groups.length).toBeGreaterThan(0);
    expect(report?.evidence).toEqual([]);
  });
});

/** A FakeSandbox whose engine goes away once a candidate's edit of the source is written. */
class SandboxFailingOnCandidates extends FakeSandbox {
  override async run(spec: RunSpec): Promise<RunResult> {
    const result = await super.run(spec);
    if (this.runs.at(-1)?.written.includes("textstats/stats.py")) throw new Error("the engine went away");
    return result;
  }
}
