import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AppFlow, filesOf, startAppFlow } from "../support/app-flow.ts";
import { removeScratchDirs } from "./process.ts";

// The App as a process with the REAL repair pipeline and no model endpoint: the job fails before
// any model or sandbox is used, so this needs no Docker (the runs that do are in fix.docker.test.ts).

const FIXTURE = resolve(import.meta.dirname, "../fixtures/app/py-clamp");

const flows: AppFlow[] = [];
afterEach(async () => {
  for (const flow of flows.splice(0)) await flow.stop();
  removeScratchDirs();
});

describe("the App with the repair pipeline and no model endpoint configured", () => {
  it("fails the job with a comment naming the missing setting, and keeps serving", async () => {
    const flow = await startAppFlow({
      files: filesOf(join(FIXTURE, "repo")),
      issue: { title: "clamp() ignores the upper bound", body: "clamp(5, 0, 10) returns 0." },
      env: {},
    });
    flows.push(flow);
    expect((await flow.deliver("fix-no-model")).status).toBe(200);
    const status = await flow.finished();

    expect(status).toContain("❌ autofix failed");
    expect(status).toContain("The App's model endpoint is not usable");
    expect(status).toContain("No model API key: set AUTOFIX_LLM_API_KEY");
    expect(flow.pulls()).toEqual([]);
    expect(flow.app.child.exitCode).toBeNull();
    expect((await fetch(`${flow.baseUrl}/healthz`)).status).toBe(200);
    expect(flow.github.violations).toEqual([]);
  });
});
