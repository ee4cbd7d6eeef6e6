import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedModel, startScriptedModel } from "../../src/scripted-model/server.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";
import { type AppFlow, filesOf, startAppFlow } from "../support/app-flow.ts";
import { removeScratchDirs } from "./process.ts";

// The App as a process running the REAL repair pipeline (no AUTOFIX_PIPELINE): signed webhook →
// issue read from the OpenAPI-checked GitHub stand-in → repository cloned over `git http-backend`
// with the installation token → localize, reproduce, repair, validate with pytest in real Docker
// (autofix/python:3) → draft PR or abstain comment. The MODEL IS SCRIPTED (src/scripted-model: no
// model is reachable here): its answers are in test/fixtures/app/py-clamp/model-*.yml.

const gate = await dockerGate("the App end to end with the repair pipeline");
const FIXTURE = resolve(import.meta.dirname, "../fixtures/app/py-clamp");
const RUN_MS = 240_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeScratchDirs();
});

async function start(script: "happy" | "wrong" | "flaky"): Promise<{ flow: AppFlow; model: ScriptedModel }> {
  const model = await startScriptedModel({ scriptPath: join(FIXTURE, `model-${script}.yml`) });
  cleanups.push(() => model.close());
  const cache = mkdtempSync(join(tmpdir(), "autofix-e2e-cache-"));
  cleanups.push(async () => rmSync(cache, { recursive: true, force: true }));
  const [title = "", ...body] = readFileSync(join(FIXTURE, "issue.md"), "utf8").split("\n");
  const flow = await startAppFlow({
    files: filesOf(join(FIXTURE, "repo")),
    issue: { title, body: body.join("\n") },
    env: {
      AUTOFIX_LLM_BASE_URL: model.url,
      AUTOFIX_LLM_API_KEY: "scripted",
      AUTOFIX_LLM_MODEL: "scripted-model",
      AUTOFIX_LLM_MAX_RETRIES: "3",
      AUTOFIX_CACHE_DIR: cache,
    },
  });
  cleanups.push(() => flow.stop());
  return { flow, model };
}

/** Nothing secret left the App: no token in its log or in any prompt the model received. */
function expectNoTokenLeak(flow: AppFlow, model: ScriptedModel): void {
  expect(flow.app.output()).not.toMatch(/ghs_standin_/);
  expect(JSON.stringify(model.requests)).not.toMatch(/ghs_standin_|x-access-token/);
}

describe.skipIf(gate.skip)("the App with the repair pipeline (scripted model, real Docker)", () => {
  it(
    "happy path: one draft PR with the validated fix, evidence, trace, candidates and spend",
    async () => {
      const { flow, model } = await start("happy");
      expect((await flow.deliver("fix-happy")).status).toBe(200);
      const status = await flow.finished(RUN_MS);

      expect(status).toContain("✅ autofix proposed a fix");
      const pulls = flow.pulls();
      expect(pulls.map((p) => [p.head.ref, p.base.ref, p.draft, p.state])).toEqual([
        [flow.branch, "main", true, "open"],
      ]);
      const [pull] = pulls;
      expect(pull?.title).toBe(`Fix #${flow.issueNumber}: clamp() ignores the upper bound`);
      const body = pull?.body ?? "";
      expect(body.startsWith(`Fixes #${flow.issueNumber}\n`)).toBe(true);
      expect(body).toMatch(
        /\| `tests\/test_autofix_repro_\d+\.py::test_clamp_caps_at_the_upper_bound` \(reproduction\) \| ❌ failed \| ✅ passed \| #1 → 0 \|/,
      );
      expect(body).toContain(
        "| `tests/test_clamp.py::test_clamp_below_low` | ✅ passed | ✅ passed | #2 → 0 |",
      );
      expect(body).toMatch(/Runs:\n- #1: `[^`]*python3 -m pytest[^`]*`/);
      expect(body).toMatch(/<details><summary>Localization trace<\/summary>[\s\S]*`ranges\/clamp\.py`/);
      expect(body).toContain("3 sampled, 3 applied cleanly, 2 distinct after normalization, 1 validated.");
      expect(body).toMatch(/Spent [\d,]+ (of [\d,]+ )?tokens, \$\d+\.\d\d of \$\d+\.\d\d\./);
      expect(pull?.requested_reviewers.map((u) => u.login)).toEqual([flow.labeler]);

      const fixed = flow.git.git(flow.repository, "show", `refs/heads/${flow.branch}:ranges/clamp.py`);
      expect(fixed).toContain("return max(low, min(value, high))");
      expect(flow.git.git(flow.repository, "show", "refs/heads/main:ranges/clamp.py")).toContain(
        "min(value, low)",
      );
      expect(flow.comments()).toHaveLength(1);
      expect(flow.github.violations).toEqual([]);
      expectNoTokenLeak(flow, model);
    },
    RUN_MS + 30_000,
  );

  it(
    "only wrong candidates → an abstain comment saying what was tried and why, no PR, no branch",
    async () => {
      const { flow, model } = await start("wrong");
      expect((await flow.deliver("fix-wrong")).status).toBe(200);
      const status = await flow.finished(RUN_MS);

      expect(status).toContain("autofix did not propose a fix");
      expect(status).toContain("**Why no pull request:** no group was validated");
      expect(status).toContain("breaks tests/test_clamp.py::test_clamp_below_low");
      expect(status).toContain("**What was tried:** localize (files: ");
      expect(status).toContain("0 validated.");
      expect(flow.pulls()).toEqual([]);
      expect(() =>
        flow.git.git(flow.repository, "rev-parse", "--verify", `refs/heads/${flow.branch}`),
      ).toThrow();
      expect(flow.github.violations).toEqual([]);
      expectNoTokenLeak(flow, model);
    },
    RUN_MS + 30_000,
  );

  it(
    "a model answering 429 then 500 is retried, and the run still ends in one PR",
    async () => {
      const { flow, model } = await start("flaky");
      expect((await flow.deliver("fix-flaky")).status).toBe(200);
      const status = await flow.finished(RUN_MS);

      const files = model.requests.filter((r) => r.stage === "localize.files").map((r) => r.status);
      expect(files).toEqual([429, 500, 200]);
      expect(status).toContain("✅ autofix proposed a fix");
      expect(flow.pulls()).toHaveLength(1);
      expect(flow.github.violations).toEqual([]);
    },
    RUN_MS + 30_000,
  );
});
