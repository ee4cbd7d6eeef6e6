import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../src/config/environment.ts";
import { validateConfig } from "../../src/config/load.ts";
import type { Progress } from "../../src/contract/progress.ts";
import type { RunServices } from "../../src/worker/pipeline.ts";
import { pipelineFromEnv } from "../../src/worker/scripted-pipeline.ts";
import { readWorkerSettings } from "../../src/worker/settings.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scriptFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "autofix-script-"));
  dirs.push(dir);
  writeFileSync(join(dir, "script.json"), JSON.stringify(content));
  return dir;
}

const report = { decision: "abstain", reason: "nothing reproduced", usage: { tokens: 5, dollars: 0 } };
const request = { jobId: 1, repository: "o/r", issueNumber: 1, triggeredBy: "u" };
const services = (signal: AbortSignal): RunServices => ({
  signal,
  config: defaultConfig(),
  repository: async () => ({ cloneUrl: "http://127.0.0.1:9/o/r.git", defaultBranch: "main" }),
  token: async () => "unused",
  roleOf: async () => "none",
  readIssue: () => Promise.reject(new Error("the scripted pipeline does not read the issue")),
});

function defaultConfig() {
  const result = validateConfig({});
  if (!result.ok) throw new Error("the default config does not validate");
  return result.config;
}

describe("the scripted pipeline (tests and demos only)", () => {
  it("is off unless AUTOFIX_PIPELINE names it: the repair pipeline runs by default", () => {
    expect(pipelineFromEnv(readEnvironment({}), "/").description).toMatch(/^the repair pipeline/);
    expect(pipelineFromEnv(readEnvironment({ AUTOFIX_PIPELINE: "fix" }), "/").description).toMatch(
      /^the repair pipeline/,
    );
    expect(() => pipelineFromEnv(readEnvironment({ AUTOFIX_PIPELINE: "agentless" }), "/")).toThrow(
      /names no pipeline/,
    );
  });

  it("is refused in production", () => {
    const cwd = scriptFile({ report });
    expect(() =>
      pipelineFromEnv(
        readEnvironment({ AUTOFIX_PIPELINE: "scripted:script.json", NODE_ENV: "production" }),
        cwd,
      ),
    ).toThrow(/refused in production/);
  });

  it("replays its steps and returns its report; an invalid script is named at start-up", async () => {
    const step = { stage: "localize", state: "done", figures: { files: 2 }, tokens: 5, dollars: 0 };
    const cwd = scriptFile({ steps: [step], report });
    const pipeline = pipelineFromEnv(readEnvironment({ AUTOFIX_PIPELINE: "scripted:script.json" }), cwd);
    const seen: Progress[] = [];
    expect(pipeline.description).toMatch(/^a SCRIPTED pipeline replaying .*script\.json$/);
    const result = await pipeline(request, services(new AbortController().signal), (p) => seen.push(p));
    expect(seen).toEqual([step]);
    expect(result).toMatchObject({ decision: "abstain", reason: "nothing reproduced", evidence: [] });

    const bad = scriptFile({ report: { ...report, decision: "maybe" } });
    expect(() => pipelineFromEnv(readEnvironment({ AUTOFIX_PIPELINE: "scripted:script.json" }), bad)).toThrow(
      /report\.decision/,
    );
  });

  it("stops when the job's signal fires", async () => {
    const cwd = scriptFile({
      steps: [{ stage: "localize", state: "running", tokens: 0, dollars: 0 }],
      stepDelayMs: 10_000,
      report,
    });
    const pipeline = pipelineFromEnv(readEnvironment({ AUTOFIX_PIPELINE: "scripted:script.json" }), cwd);
    const abort = new AbortController();
    const run = pipeline(request, services(abort.signal), () => abort.abort(new Error("cancelled")));
    await expect(run).rejects.toThrow(/aborted/);
  });
});

describe("worker settings", () => {
  it("defaults, and names a bad variable", () => {
    expect(readWorkerSettings(readEnvironment({}))).toMatchObject({
      concurrency: 2,
      staleAfterMs: 120_000,
      heartbeatMs: 5_000,
    });
    expect(readWorkerSettings(readEnvironment({ AUTOFIX_JOB_STALE_MS: "2000" })).heartbeatMs).toBe(500);
    expect(() => readWorkerSettings(readEnvironment({ AUTOFIX_WORKER_CONCURRENCY: "0" }))).toThrow(
      /AUTOFIX_WORKER_CONCURRENCY/,
    );
  });
});
