import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Report, reportSchema } from "../../src/contract/report.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { autofixAgainst, type CliRun, gitRepoFrom, withScriptedModel } from "./fix-helpers.ts";

const gate = await dockerGate("autofix fix end-to-end (regression evidence)");
const FIXTURE = path.resolve("test/fixtures/fix/py-widen");
/** One `autofix fix` run: image setup, reproduction, screening and validation in Docker. */
const E2E_TIMEOUT_MS = 300_000;
const cache = mkdtempSync(path.join(tmpdir(), "autofix-fix-cache-"));

const REPRODUCTION =
  "```python\nfrom textstats.stats import median\n\n\ndef test_median_of_unsorted_values():\n    assert median([3, 1, 2]) == 2\n```";
const RIGHT_FIX =
  "```python\n### textstats/stats.py\n<<<<<<< SEARCH\n    ordered = list(values)\n=======\n    ordered = sorted(values)\n>>>>>>> REPLACE\n```";
/** Fixes the numbers of the reproduction test, breaks the labels an existing test medians. */
const WRONG_FIX =
  "```python\n### textstats/stats.py\n<<<<<<< SEARCH\n    ordered = list(values)\n=======\n    ordered = sorted(float(value) for value in values)\n>>>>>>> REPLACE\n```";

/** The model names stats.py alone (retrieval alone would also bring the check file, which is related). */
const LOCALIZED_TO_STATS = {
  "localize.files": "```\ntextstats/stats.py\n```",
  "localize.elements": "```\ntextstats/stats.py::median\n```",
  "localize.lines": "```\ntextstats/stats.py:12-17\n```",
};

type Outcome = { run: CliRun; report: Report; out: string };

/** `autofix fix --json` on a git copy of `repoDir`, the scripted model answering by stage. */
async function fix(repoDir: string, replies: Record<string, string>, config?: string): Promise<Outcome> {
  const repo = gitRepoFrom(repoDir);
  const out = mkdtempSync(path.join(tmpdir(), "autofix-fix-out-"));
  const args = ["fix", "--repo", repo, "--issue", path.join(FIXTURE, "issue.md"), "--out", out, "--json"];
  if (config !== undefined) {
    writeFileSync(path.join(out, "autofix.yml"), config);
    args.push("--config", path.join(out, "autofix.yml"));
  }
  const script = path.join(out, "script.yml");
  const rules = Object.entries(replies).map(
    ([stage, content]) =>
      `  - when: { stage: ${JSON.stringify(stage)} }\n    reply: { content: ${JSON.stringify(content)} }\n`,
  );
  writeFileSync(script, `rules:\n${rules.join("")}fallback:\n  content: "I can't help with that."\n`);
  return withScriptedModel(script, async (model) => {
    const run = await autofixAgainst(model, args, cache);
    const report = reportSchema.parse(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")));
    return { run, report, out };
  });
}

/** The fixture, with more tests than are ever run whole (30 checks of another package) or none at all. */
function repoCopy(shape: "many tests" | "no tests"): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-widen-repo-"));
  cpSync(path.join(FIXTURE, "repo"), dir, { recursive: true });
  if (shape === "no tests") {
    rmSync(path.join(dir, "textstats", "checks"), { recursive: true });
    writeFileSync(path.join(dir, "pytest.ini"), "[pytest]\ntestpaths = tests\n");
    return dir;
  }
  for (let i = 0; i < 30; i++) {
    const file = path.join(dir, "legacy", `check_legacy_${String(i).padStart(2, "0")}.py`);
    cpSync(path.join(FIXTURE, "legacy-check.py"), file);
  }
  return dir;
}

describe.skipIf(gate.skip)("regression evidence in autofix fix (scripted model, real Docker)", () => {
  it(
    "finds, by widening to the package, the existing test a wrong candidate breaks, and abstains",
    async () => {
      const { run, report, out } = await fix(repoCopy("many tests"), {
        ...LOCALIZED_TO_STATS,
        "reproduce.sample": REPRODUCTION,
        "repair.*": WRONG_FIX,
      });
      expect(run.code).toBe(3);
      expect(report.decision).toBe("abstain");
      expect(report.reason).toMatch(
        /^no group was validated: .*breaks textstats\/checks\/check_labels\.py::test_median_of_labels/,
      );
      // nothing imports stats.py by name, so no test relates to it: the package's configured tests ran
      expect(report.regressionSummary, report.localization.files.join(", ")).toMatchObject({
        scope: "package",
        files: 1,
        tests: 1,
        passing: 1,
      });
      expect(report.regressionSummary?.source).toMatch(/pytest\.ini/);
      expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
      expect(readFileSync(path.join(out, "report.md"), "utf8")).toContain(
        "**Regression evidence:** 1 test in 1 file ran, 1 passing before any patch; chosen from the localized files' package",
      );
    },
    E2E_TIMEOUT_MS,
  );

  it(
    "with no regression test at all, abstains by default and offers the fix as a suggestion",
    async () => {
      const { run, report, out } = await fix(repoCopy("no tests"), {
        "reproduce.sample": REPRODUCTION,
        "repair.*": RIGHT_FIX,
      });
      expect(run.code).toBe(3);
      expect(report.reason).toMatch(
        /^no regression test could run \(the test discovery found no test file\); a candidate that fixes the reproduction tests is offered as a suggestion only\. Set validation\.allowPatchWithoutRegressionTests to accept such patches\.$/,
      );
      expect(report.reason).not.toContain("breaks no regression test");
      expect(report.regressionSummary).toMatchObject({ scope: "none", tests: 0, files: 0 });
      expect(report.suggestion?.basis).toBe("no-regression");
      expect(readFileSync(path.join(out, "suggestion.diff"), "utf8")).toContain(
        "+    ordered = sorted(values)",
      );
      expect(existsSync(path.join(out, "patch.diff"))).toBe(false);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    "proposes that patch when the repository opted in with validation.allowPatchWithoutRegressionTests",
    async () => {
      const { run, report } = await fix(
        repoCopy("no tests"),
        { "reproduce.sample": REPRODUCTION, "repair.*": RIGHT_FIX },
        "localization:\n  maxFiles: 1\n  locationSets: 1\nvalidation:\n  allowPatchWithoutRegressionTests: true\n",
      );
      expect(run.code).toBe(0);
      expect(report.decision).toBe("patch");
      expect(report.reason).toContain("accepted because validation.allowPatchWithoutRegressionTests is set");
      expect(report.patch?.diff).toContain("+    ordered = sorted(values)");
    },
    E2E_TIMEOUT_MS,
  );
});
