import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reportSchema } from "../../src/contract/report.ts";
import { startScriptedModel } from "../../src/scripted-model/server.ts";
import { gitRepoFrom } from "../pipeline/fix-helpers.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { containersOf, eventually, pythonReply, startAutofix, writeScript } from "./cli-process.ts";

const gate = await dockerGate("CLI interruption tests");
const PY_CALC = path.resolve("test/fixtures/sandbox/py-calc");
const PY_MEDIAN = path.resolve("test/fixtures/fix/py-median");

describe.skipIf(gate.skip)("SIGINT/SIGTERM remove the CLI's containers (real Docker)", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`sandbox run -- sleep 300: ${signal} leaves no container and exits ${code}`, async () => {
      const run = startAutofix(["sandbox", "run", "--repo", PY_CALC, "--no-setup", "--", "sleep", "300"]);
      const pid = run.child.pid;
      expect(await eventually(async () => (await containersOf(pid)).length > 0, 60_000)).toBe(true);
      const signalled = Date.now();
      run.child.kill(signal);
      // Nothing runs 5 s later; removing the stopped container may take the engine longer under load.
      expect(await eventually(async () => (await containersOf(pid, "running")).length === 0, 5_000)).toBe(
        true,
      );
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(await eventually(async () => (await containersOf(pid)).length === 0, 60_000)).toBe(true);
      expect(await run.exited).toBe(code);
      expect(run.output().stderr).toContain(`interrupted by ${signal}`);
      expect(await containersOf(pid)).toEqual([]);
    }, 90_000);
  }

  it("fix: SIGINT while a reproduction test runs leaves no container and a report that says so", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "autofix-interrupt-out-"));
    const script = writeScript(path.join(out, "script.yml"), {
      "reproduce.sample": pythonReply(
        "import time\n\nfrom textstats.stats import median\n\n\ndef test_median_waits():\n    time.sleep(300)\n    assert median([3, 1, 2]) == 2\n",
      ),
    });
    const model = await startScriptedModel({ scriptPath: script });
    try {
      const repo = gitRepoFrom(path.join(PY_MEDIAN, "repo"));
      const cache = mkdtempSync(path.join(tmpdir(), "autofix-interrupt-cache-"));
      const run = startAutofix(
        ["fix", "--repo", repo, "--issue", path.join(PY_MEDIAN, "issue.md"), "--out", out],
        {
          AUTOFIX_LLM_BASE_URL: model.url,
          AUTOFIX_LLM_API_KEY: "scripted",
          AUTOFIX_LLM_MODEL: "scripted-model",
          AUTOFIX_CACHE_DIR: cache,
        },
      );
      const pid = run.child.pid;
      const reproducing = () => model.requests.some((request) => request.stage === "reproduce.sample");
      const testRunning = async () => reproducing() && (await containersOf(pid)).length > 0;
      expect(await eventually(testRunning, 120_000)).toBe(true);
      run.child.kill("SIGINT");
      expect(await eventually(async () => (await containersOf(pid, "running")).length === 0, 5_000)).toBe(
        true,
      );
      expect(await eventually(async () => (await containersOf(pid)).length === 0, 60_000)).toBe(true);
      expect(await run.exited).toBe(130);
      const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
      expect(report.stopped).toMatch(/^interrupted by SIGINT/);
      expect(report.reason).toContain("interrupted by SIGINT");
      expect(report.decision).toBe("abstain");
      expect(report.localization.files).toContain("textstats/stats.py");
      expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain("interrupted by SIGINT");
      expect(await containersOf(pid)).toEqual([]);
    } finally {
      await model.close();
    }
  }, 180_000);
});
