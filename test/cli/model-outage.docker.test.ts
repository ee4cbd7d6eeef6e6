import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reportSchema } from "../../src/contract/report.ts";
import { gitRepoFrom, withScriptedModel } from "../pipeline/fix-helpers.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { pythonReply, startAutofix, writeScript } from "./cli-process.ts";

const gate = await dockerGate("CLI model outage test");
const PY_MEDIAN = path.resolve("test/fixtures/fix/py-median");
const GOOD_TEST =
  "from textstats.stats import median\n\n\ndef test_median_of_unsorted_values():\n    assert median([3, 1, 2]) == 2\n";

describe.skipIf(gate.skip)("a model outage during repair (scripted model, real Docker)", () => {
  it("exits 1 and still writes the report: localization and reproduction kept, stopped naming the outage", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "autofix-outage-out-"));
    const script = writeScript(path.join(out, "script.yml"), {
      "reproduce.sample": pythonReply(GOOD_TEST),
      "repair.sample": 'reply: { status: 500, error: "the model is overloaded" }',
    });
    const cache = mkdtempSync(path.join(tmpdir(), "autofix-outage-cache-"));
    const repo = gitRepoFrom(path.join(PY_MEDIAN, "repo"));
    const args = ["fix", "--repo", repo, "--issue", path.join(PY_MEDIAN, "issue.md"), "--out", out, "--json"];
    const run = await withScriptedModel(script, async (model) => {
      const started = startAutofix(args, {
        AUTOFIX_LLM_BASE_URL: model.url,
        AUTOFIX_LLM_API_KEY: "scripted",
        AUTOFIX_LLM_MODEL: "scripted-model",
        AUTOFIX_LLM_MAX_RETRIES: "0",
        AUTOFIX_CACHE_DIR: cache,
      });
      return { code: await started.exited, ...started.output() };
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the model is overloaded");
    expect(run.stderr).toContain(`report: ${path.join(out, "report.md")}`);
    const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    expect(report.stopped).toMatch(/^the model endpoint failed: .*the model is overloaded/);
    expect(report.reason).toContain("the model endpoint failed");
    expect(report.decision).toBe("abstain");
    expect(report.localization.files).toContain("textstats/stats.py");
    expect(report.reproduction.kept.length).toBeGreaterThan(0);
    expect(report.usage.stages.map((stage) => stage.stage)).toEqual(
      expect.arrayContaining(["localize.files", "reproduce.sample"]),
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ decision: "abstain", stopped: report.stopped });
    expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("the model endpoint failed");
  }, 240_000);
});
