import { afterEach, describe, expect, it } from "vitest";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { type AppFlow, startAppFlow } from "../support/app-flow.ts";
import { CALC_SOURCE } from "../support/pipeline-script.ts";
import { removeScratchDirs } from "./process.ts";

// The whole App flow as a process: `node src/app/main.ts` receives signed webhooks, its worker runs
// the job and publishes. GitHub is the OpenAPI-checked stand-in (unreachable otherwise); git is real,
// `git http-backend` on loopback, which the stand-in's `clone_url` points at. The PIPELINE IS SCRIPTED
// (AUTOFIX_PIPELINE=scripted:<file>, a canned report): the subject is the flow and publishing; the
// repair pipeline runs in fix.docker.test.ts.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeScratchDirs();
});

async function startFlow(decision: "patch" | "abstain", stepDelayMs = 0): Promise<AppFlow> {
  const flow = await startAppFlow({
    files: { "calc.py": CALC_SOURCE },
    issue: { title: "divide() crashes on zero", body: "divide(1, 0) raises ZeroDivisionError." },
    // An orphaned job is recovered 4 s after its last heartbeat (beats every 1 s): quick, yet a live job
    // on a loaded machine is not taken for dead.
    env: { AUTOFIX_JOB_STALE_MS: "4000" },
    scripted: { decision, stepDelayMs },
  });
  cleanups.push(() => flow.stop());
  return flow;
}

/** The jobs of the flow's issue in its job database, newest first, as `project(job)`. */
function jobsOf<T>(
  flow: AppFlow,
  project: (job: { trigger: string; state: string; attempts: number }) => T,
): T[] {
  const store = openSqliteJobStore({ path: flow.dbPath });
  try {
    return store.forIssue(flow.repository, flow.issueNumber).map(project);
  } finally {
    store.close();
  }
}

/** Wait until the status comment shows the first step of the scripted run (the job is running). */
const midRun = (flow: AppFlow) =>
  flow.until(() => flow.comments().some((c) => c.body.includes("Localization — files: 1")), 10_000);

describe("the App flow, label → worker → draft PR or abstain comment", () => {
  it("happy path: one draft PR whose branch in the git server holds the patched file", async () => {
    const flow = await startFlow("patch");
    const { github, git, repository, branch } = flow;
    expect((await flow.deliver("label-1")).status).toBe(200);
    const status = await flow.finished();

    expect(status).toContain("✅ autofix proposed a fix");
    expect(status).toContain("✅ Repair — candidates: 3, groups: 1");
    expect(status).toContain("Spent 3,000 of 500,000 tokens, $0.09 of $2.00.");
    const pulls = flow.pulls();
    expect(pulls.map((p) => [p.head.ref, p.base.ref, p.draft, p.state])).toEqual([
      [branch, "main", true, "open"],
    ]);
    expect(pulls[0]?.body).toContain(`Fixes #${flow.issueNumber}`);
    expect(pulls[0]?.requested_reviewers.map((u) => u.login)).toEqual([flow.labeler]);
    expect(git.git(repository, "show", `refs/heads/${branch}:calc.py`)).toBe(
      CALC_SOURCE.replace("return a / b", "return a / b if b else 0"),
    );
    expect(git.git(repository, "show", "refs/heads/main:calc.py")).toBe(CALC_SOURCE);
    expect(flow.comments()).toHaveLength(1);
    // The push carried an installation token the stand-in issued (the git server refuses others);
    // the App's log never shows one.
    expect(git.requests.filter((r) => r.service === "git-receive-pack").map((r) => r.status)).toContain(200);
    expect(flow.app.output()).not.toMatch(/ghs_standin_/);
    expect(github.violations).toEqual([]);
  });

  it("the same delivery 50 times → one job, one PR, one comment", async () => {
    const flow = await startFlow("patch");
    for (let i = 0; i < 50; i++) expect((await flow.deliver("same-delivery")).status).toBe(200);
    await flow.finished();
    await new Promise((r) => setTimeout(r, 600)); // a second job, were there one, would be claimed by now
    expect(flow.pulls()).toHaveLength(1);
    expect(flow.github.operations().filter((op) => op === "pulls/create")).toHaveLength(1);
    expect(flow.comments()).toHaveLength(1);
    expect(flow.github.violations).toEqual([]);
  });

  it("abstain → a comment saying what was tried and why, no PR and no branch", async () => {
    const flow = await startFlow("abstain");
    expect((await flow.deliver("label-abstain")).status).toBe(200);
    const status = await flow.finished();
    expect(status).toContain("autofix did not propose a fix");
    expect(status).toContain("**Why no pull request:** no candidate passed the reproduction test");
    expect(status).toContain(
      "**What was tried:** localize (files: 1, elements: 1); reproduce (tests written: 0, tests kept: 0); repair (candidates: 3, groups: 1); validate (validated: 0).",
    );
    expect(flow.pulls()).toEqual([]);
    expect(() =>
      flow.git.git(flow.repository, "rev-parse", "--verify", `refs/heads/${flow.branch}`),
    ).toThrow();
    expect(flow.comments()).toHaveLength(1);
    expect(flow.github.violations).toEqual([]);
  });

  it("SIGTERM mid-run: exit 0, the job released to the queue, and a restart resumes it at once → one PR", async () => {
    const flow = await startFlow("patch", 5_000);
    expect((await flow.deliver("label-sigterm")).status).toBe(200);
    await midRun(flow);
    expect(flow.comments()[0]?.body).toContain("⏳ autofix is working on this issue");
    const app = flow.app;
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain("released the running jobs back to the queue");

    // Released, not orphaned: queued again, and the interrupted start does not count as an attempt.
    expect(jobsOf(flow, (j) => [j.state, j.attempts])).toEqual([["queued", 0]]);
    expect(flow.comments()[0]?.body).not.toContain("failed");
    expect(flow.pulls()).toEqual([]);

    flow.rescript("patch");
    await flow.relaunch();
    expect(await flow.finished()).toContain("✅ autofix proposed a fix");
    expect(flow.pulls()).toHaveLength(1);
    expect(flow.comments()).toHaveLength(1);
    expect(flow.github.violations).toEqual([]);
  });

  it("/autofix stop mid-run cancels it, no PR; /autofix retry runs it again → one PR, one status comment", async () => {
    const flow = await startFlow("patch", 5_000);
    const { github } = flow;
    expect((await flow.deliver("label-stop")).status).toBe(200);
    await midRun(flow);
    expect((await flow.command("stop-1", 901, "/autofix stop")).status).toBe(200);
    const stopped = await flow.finished();
    expect(stopped).toContain(`Stopped: stopped by ${flow.labeler} with /autofix stop.`);
    expect(flow.pulls()).toEqual([]);

    flow.rescript("patch");
    expect((await flow.command("retry-1", 902, "/autofix retry")).status).toBe(200);
    expect((await flow.command("retry-1", 902, "/autofix retry")).status).toBe(200); // redelivered
    await flow.until(() => flow.comments().some((c) => c.body.includes("✅ autofix proposed a fix")));
    await flow.finished(); // and recorded
    expect(flow.pulls()).toHaveLength(1);
    expect(flow.comments()).toHaveLength(1);
    expect(github.state.commentReactions.get(901)?.map((r) => r.content)).toEqual(["+1"]);
    expect(github.state.commentReactions.get(902)?.map((r) => r.content)).toEqual(["rocket"]);
    expect(jobsOf(flow, (j) => `${j.trigger}:${j.state}`)).toEqual(["retry:done", "label:cancelled"]);
    expect(github.violations).toEqual([]);
  });

  it("SIGKILL mid-run, then a restart: the orphaned job is resumed once → one PR, one comment", async () => {
    const flow = await startFlow("patch", 5_000);
    expect((await flow.deliver("label-sigkill")).status).toBe(200);
    await midRun(flow);
    const app = flow.app;
    app.child.kill("SIGKILL");
    await app.exited;
    flow.rescript("patch"); // the resumed run goes straight through
    await flow.relaunch();
    const status = await flow.finished();

    expect(status).toContain("✅ autofix proposed a fix");
    expect(flow.pulls()).toHaveLength(1);
    expect(flow.github.operations().filter((op) => op === "pulls/create")).toHaveLength(1);
    expect(flow.comments()).toHaveLength(1);
    expect(flow.git.git(flow.repository, "show", `refs/heads/${flow.branch}:calc.py`)).toContain(
      "if b else 0",
    );
    expect(jobsOf(flow, (j) => [j.state, j.attempts])).toEqual([["done", 2]]);
    expect(flow.github.violations).toEqual([]);
  });
});
