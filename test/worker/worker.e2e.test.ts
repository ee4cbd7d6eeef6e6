import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Report, reportSchema } from "../../src/contract/report.ts";
import { AutofixError } from "../../src/errors.ts";
import { STATUS_MARKER } from "../../src/publish/status-comment.ts";
import { JobCancelledError } from "../../src/worker/job-errors.ts";
import type { RunPipeline } from "../../src/worker/pipeline.ts";
import type { Worker, WorkerOptions } from "../../src/worker/worker.ts";
import { testPrivateKey } from "../app/helpers.ts";
import { CALC, type Fixture, LABELER, REPO, startFixture } from "./fixture.ts";

// The worker end to end in one process: real SQLite job store, real Octokit forge against the
// OpenAPI-checked GitHub stand-in, real git pushes over `git http-backend`. The PIPELINE IS A FAKE:
// the repair pipeline is not built yet, so each test hands the worker a function returning a report.

let privateKey: string;
beforeAll(() => {
  privateKey = testPrivateKey();
});

let fixture: Fixture;
afterEach(async () => {
  await fixture?.stop();
});

const patchReport: Report = reportSchema.parse({
  decision: "patch",
  reason: "one candidate passed the reproduction test and the existing tests",
  issue: { number: 7, title: "Return 0 when dividing by zero" },
  localization: { files: ["calc.py"], elements: ["calc.py::divide"] },
  candidates: ["c1", "c2", "c3", "c4"].map((id) => ({
    id,
    set: 0,
    round: 0,
    status: "accepted",
    group: "g1",
  })),
  groups: [{ key: "g1", votes: 4, validated: true }],
  evidence: [{ test: "test_calc.py::test_divide_by_zero", before: "fail", after: "pass" }],
  usage: { tokens: 4_321, dollars: 0.12 },
  patch: {
    edits: [{ path: "calc.py", search: "return a / b", replace: "return a / b if b else 0" }],
  },
});

const work = (pipeline: RunPipeline, options?: Partial<WorkerOptions>): Worker =>
  fixture.work(pipeline, options);

const comments = (issue: number) => fixture.github.state.comments.get(`${REPO}#${issue}`) ?? [];
const pulls = () => fixture.github.state.pulls.get(REPO) ?? [];
const fileOnBranch = (branch: string, path: string) =>
  fixture.git.git(REPO, "show", `refs/heads/${branch}:${path}`);

describe("the job worker", () => {
  it("runs a queued job to one draft PR from a pushed branch, with one status comment edited in place", async () => {
    fixture = await startFixture(privateKey);
    const seen: string[] = [];
    work(async (request, _services, onProgress) => {
      seen.push(`${request.repository}#${request.issueNumber} by ${request.triggeredBy}`);
      onProgress({ stage: "localize", state: "running", figures: { files: 1 }, tokens: 100, dollars: 0.01 });
      onProgress({
        stage: "repair",
        state: "running",
        figures: { candidates: 4 },
        tokens: 900,
        dollars: 0.05,
      });
      return patchReport;
    });
    const job = await fixture.waitForEnd(fixture.enqueue(7).id);

    expect(job.state).toBe("done");
    expect(seen).toEqual([`${REPO}#7 by ${LABELER}`]);
    expect(fileOnBranch("autofix/issue-7", "calc.py")).toBe(
      CALC.replace("return a / b", "return a / b if b else 0"),
    );
    expect(fixture.git.git(REPO, "log", "-1", "--format=%an%n%s", "refs/heads/autofix/issue-7").trim()).toBe(
      "autofix-e2e[bot]\nFix #7: Return 0 when dividing by zero",
    );
    expect(fileOnBranch("main", "calc.py")).toBe(CALC);

    expect(pulls()).toHaveLength(1);
    const [pull] = pulls();
    expect(pull?.draft).toBe(true);
    expect(pull?.head.ref).toBe("autofix/issue-7");
    expect(pull?.body).toContain("Fixes #7");
    expect(pull?.body).toContain("| `test_calc.py::test_divide_by_zero` | ❌ fail | ✅ pass |");
    expect(pull?.requested_reviewers.map((u) => u.login)).toEqual([LABELER]);

    expect(comments(7)).toHaveLength(1);
    const body = comments(7)[0]?.body ?? "";
    expect(body.startsWith(STATUS_MARKER)).toBe(true);
    expect(body).toContain("✅ autofix proposed a fix");
    expect(body).toContain("✅ Repair — candidates: 4, groups: 1");
    expect(body).toContain("Spent 4,321 of 500,000 tokens, $0.12 of $2.00.");
    expect(fixture.github.operations().filter((op) => op === "issues/create-comment")).toHaveLength(1);
    expect(fixture.github.operations()).toContain("issues/update-comment");

    // The git server saw the token as credentials (it refuses anything else); no log line carries it.
    expect(fixture.git.requests.some((r) => r.service === "git-receive-pack" && r.status === 200)).toBe(true);
    expect(fixture.logs()).not.toContain(fixture.token);
    expect(fixture.github.violations).toEqual([]);
  });

  it("a retry updates the same branch, PR and comment instead of opening new ones", async () => {
    fixture = await startFixture(privateKey);
    let title = "First attempt";
    work(async () => ({ ...patchReport, issue: { number: 8, title } }));
    expect((await fixture.waitForEnd(fixture.enqueue(8).id)).state).toBe("done");
    title = "Second attempt";
    expect((await fixture.waitForEnd(fixture.enqueue(8, "retry").id)).state).toBe("done");

    expect(pulls().map((p) => [p.title, p.state])).toEqual([["Fix #8: Second attempt", "open"]]);
    expect(comments(8)).toHaveLength(1);
    expect(
      fixture.git.git(REPO, "log", "--format=%s", "refs/heads/autofix/issue-8").trim().split("\n"),
    ).toEqual(["Fix #8: Second attempt", "initial"]);
    expect(fixture.github.violations).toEqual([]);
  });

  it("abstains with a comment saying what was tried and why, and opens no PR", async () => {
    fixture = await startFixture(privateKey);
    work(async () => ({
      ...patchReport,
      decision: "abstain",
      reason: "no candidate passed the reproduction test",
      patch: undefined,
    }));
    const job = await fixture.waitForEnd(fixture.enqueue(9).id);
    expect(job.state).toBe("abstained");
    expect(job.reason).toContain("no candidate passed the reproduction test");
    const body = comments(9)[0]?.body ?? "";
    expect(body).toContain("autofix did not propose a fix");
    expect(body).toContain("**Why no pull request:** no candidate passed the reproduction test");
    expect(body).toContain("**What was tried:** localize (files: 1, elements: 1)");
    expect(pulls()).toEqual([]);
    expect(() => fixture.git.git(REPO, "rev-parse", "--verify", "refs/heads/autofix/issue-9")).toThrow();
    expect(fixture.github.violations).toEqual([]);
  });

  it("a thrown error fails the job with one clear comment, and the worker goes on to the next job", async () => {
    fixture = await startFixture(privateKey);
    let calls = 0;
    work(async () => {
      calls++;
      if (calls === 1) throw new Error("the sandbox exploded");
      return patchReport;
    });
    const failed = await fixture.waitForEnd(fixture.enqueue(10).id);
    expect([failed.state, failed.reason]).toEqual(["failed", "the sandbox exploded"]);
    expect(comments(10).map((c) => c.body)).toEqual([
      expect.stringContaining("**Error:** the sandbox exploded"),
    ]);
    expect(comments(10)[0]?.body).toContain("❌ autofix failed");
    expect((await fixture.waitForEnd(fixture.enqueue(11).id)).state).toBe("done");
  });

  it("a config that no longer loads fails the job with the problem and what to do, in the status comment", async () => {
    fixture = await startFixture(privateKey);
    work(async () => patchReport, {
      contextFor: async (job) => ({
        ...(await fixture.contextFor(job)),
        loadConfig: async () => {
          throw new AutofixError(
            "config_invalid_at_run",
            "the repository config became invalid: label: too short",
            {
              hint: "fix .github/autofix.yml",
            },
          );
        },
      }),
      heartbeatMs: 10_000,
    });
    const job = await fixture.waitForEnd(fixture.enqueue(14).id);
    expect(job.state).toBe("failed");
    const body = comments(14)[0]?.body ?? "";
    expect(body).toContain("**Error:** the repository config became invalid: label: too short");
    expect(body).toContain("**What to do:** fix .github/autofix.yml");
    expect(pulls()).toEqual([]);
  });

  it("cancelling a running job aborts the pipeline's signal and says so in the comment", async () => {
    fixture = await startFixture(privateKey);
    let aborted = false;
    work(
      (_request, { signal }, onProgress) =>
        new Promise((_resolve, reject) => {
          onProgress({ stage: "localize", state: "running", figures: {}, tokens: 0, dollars: 0 });
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    );
    const job = fixture.enqueue(12);
    while (fixture.jobs.get(job.id)?.stage !== "localize") await new Promise((r) => setTimeout(r, 20));
    fixture.jobs.cancel(REPO, 12, "the trigger label was removed by octocat");
    const ended = await fixture.waitForEnd(job.id);
    expect(ended.state).toBe("cancelled");
    // The worker notices at its next heartbeat, then edits its comment: wait for both, not for a time.
    const stoppedSaid = () =>
      comments(12)[0]?.body.includes("Stopped: the trigger label was removed by octocat.") === true;
    for (const deadline = Date.now() + 60_000; !(aborted && stoppedSaid()) && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(aborted).toBe(true);
    expect(comments(12)[0]?.body).toContain("Stopped: the trigger label was removed by octocat.");
    expect(pulls()).toEqual([]);
  });

  it("a job that loses its point is cancelled alone: a retry queued for the same issue still runs", async () => {
    fixture = await startFixture(privateKey);
    let retry: number | undefined;
    const triggers: string[] = [];
    work(async (request) => {
      triggers.push(request.jobId === retry ? "retry" : "label");
      if (retry !== undefined) return patchReport;
      retry = fixture.enqueue(15, "retry").id; // e.g. `/autofix retry` while the first run works
      throw new JobCancelledError("the issue was closed");
    });
    const first = await fixture.waitForEnd(fixture.enqueue(15).id);
    expect([first.state, first.reason]).toEqual(["cancelled", "the issue was closed"]);
    const second = await fixture.waitForEnd(retry ?? -1);
    expect(second.state).toBe("done");
    expect(triggers).toEqual(["label", "retry"]);
    expect(pulls().map((p) => p.head.ref)).toEqual(["autofix/issue-15"]);
    expect(fixture.github.violations).toEqual([]);
  });

  it.each([
    ["was not opened", false],
    ["was opened all the same", true],
  ])(
    "GitHub answers 502 to opening the PR, which %s → ensured again: one PR, job done",
    async (_, landed) => {
      fixture = await startFixture(privateKey); // its Octokit does not retry: the publishing edge does
      fixture.github.failNext("pulls/create", 502, 1, { landed });
      work(async () => patchReport);
      const job = await fixture.waitForEnd(fixture.enqueue(16).id);

      expect(job.state).toBe("done");
      expect(pulls().map((p) => [p.head.ref, p.draft])).toEqual([["autofix/issue-16", true]]);
      expect(pulls()[0]?.requested_reviewers.map((u) => u.login)).toEqual([LABELER]);
      const creates = fixture.github.requests.filter((r) => r.operationId === "pulls/create");
      expect(creates.map((r) => r.status)).toEqual(landed ? [502] : [502, 201]);
      expect(comments(16)).toHaveLength(1);
      expect(fixture.github.violations).toEqual([]);
    },
  );

  it("leaves alone a branch a human has pushed to, and says so", async () => {
    fixture = await startFixture(privateKey);
    const main = fixture.git.git(REPO, "rev-parse", "refs/heads/main").trim();
    fixture.git.git(REPO, "update-ref", "refs/heads/autofix/issue-13", main); // head commit by "Octo Cat"
    work(async () => patchReport);
    const job = await fixture.waitForEnd(fixture.enqueue(13).id);
    expect(job.state).toBe("abstained");
    expect(comments(13)[0]?.body).toContain("has a commit by Octo Cat, so autofix no longer touches it");
    expect(fixture.git.git(REPO, "rev-parse", "refs/heads/autofix/issue-13").trim()).toBe(main);
    expect(pulls()).toEqual([]);
  });
});
