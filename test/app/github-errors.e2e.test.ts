import { afterEach, describe, expect, it } from "vitest";
import { type AppFlow, startAppFlow } from "../support/app-flow.ts";
import { CALC_SOURCE } from "../support/pipeline-script.ts";
import { removeScratchDirs } from "./process.ts";

// GitHub answering 502 while the App publishes. The App runs as a process against the OpenAPI-checked
// GitHub stand-in (GitHub is unreachable here), which injects the 502s; git is `git http-backend`.
// The PIPELINE IS SCRIPTED (a canned patch): the subject is publishing, not repairing.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeScratchDirs();
});

async function start(): Promise<AppFlow> {
  const flow = await startAppFlow({
    files: { "calc.py": CALC_SOURCE },
    issue: { title: "divide() crashes on zero", body: "divide(1, 0) raises ZeroDivisionError." },
    env: {},
    scripted: { decision: "patch" },
  });
  cleanups.push(() => flow.stop());
  return flow;
}

const statuses = (flow: AppFlow, operationId: string) =>
  flow.github.requests.filter((r) => r.operationId === operationId).map((r) => r.status);

/** One draft PR from the branch, one status comment saying so, nothing GitHub would reject. */
function expectOnePullRequestAndOneComment(flow: AppFlow, status: string): void {
  expect(status).toContain("✅ autofix proposed a fix");
  expect(flow.pulls().map((p) => [p.head.ref, p.draft, p.state])).toEqual([[flow.branch, true, "open"]]);
  expect(flow.comments()).toHaveLength(1);
  expect(flow.github.violations).toEqual([]);
}

describe("GitHub answering 502 while the App publishes", () => {
  it.each([1, 2])(
    "%i × 502 on opening the pull request and on editing the status comment → retried, one PR, one comment",
    async (times) => {
      const flow = await start();
      flow.github.failNext("pulls/create", 502, times);
      flow.github.failNext("issues/update-comment", 502, times);
      expect((await flow.deliver(`flaky-${times}`)).status).toBe(200);
      const status = await flow.finished(60_000);

      expectOnePullRequestAndOneComment(flow, status);
      expect(statuses(flow, "pulls/create")).toEqual([...Array<number>(times).fill(502), 201]);
      const edits = statuses(flow, "issues/update-comment");
      expect(edits.slice(0, times + 1)).toEqual([...Array<number>(times).fill(502), 200]);
      expect(statuses(flow, "issues/create-comment")).toEqual([201]);
      expect(flow.git.git(flow.repository, "show", `refs/heads/${flow.branch}:calc.py`)).toContain(
        "if b else 0",
      );
    },
    90_000,
  );

  it("a 502 on a pull request GitHub did open → the retry finds it instead of failing on 'already exists'", async () => {
    const flow = await start();
    flow.github.failNext("pulls/create", 502, 1, { landed: true });
    expect((await flow.deliver("landed-pull")).status).toBe(200);
    const status = await flow.finished(60_000);

    expectOnePullRequestAndOneComment(flow, status);
    expect(statuses(flow, "pulls/create")).toEqual([502, 422]); // Octokit retried; the edge ensured again
    expect(flow.pulls()[0]?.requested_reviewers.map((u) => u.login)).toEqual([flow.labeler]);
  }, 90_000);

  // Octokit's retry plugin would re-POST a comment GitHub wrote but answered 502 to; ensureComment
  // creates without retries and, after a 5xx, looks for the comment before posting again.
  it("a 502 on a status comment GitHub did write → still one status comment", async () => {
    const flow = await start();
    flow.github.failNext("issues/create-comment", 502, 1, { landed: true });
    expect((await flow.deliver("landed-comment")).status).toBe(200);
    const status = await flow.finished(60_000);

    expectOnePullRequestAndOneComment(flow, status);
  }, 90_000);
});
