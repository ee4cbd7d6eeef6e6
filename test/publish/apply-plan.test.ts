import { describe, expect, it } from "vitest";
import type { Forge, PullRequestRequest } from "../../src/forge/forge.ts";
import { applyPlan } from "../../src/publish/apply.ts";
import type { BranchPublisher } from "../../src/publish/git-branch.ts";
import type { PublishPlan } from "../../src/publish/plan.ts";

/** A forge that answers what applyPlan asks and records the pull requests; anything else is a test bug. */
function recordingForge(opened: PullRequestRequest[]): Forge {
  const unused = () => Promise.reject(new Error("not used by applyPlan"));
  return {
    repository: "o/r",
    readConfig: unused,
    ensureReaction: unused,
    ensureComment: unused,
    updateCommentIfPresent: unused,
    permissionOf: unused,
    repositoryInfo: async () => ({ cloneUrl: "http://git.invalid/o/r.git", defaultBranch: "main" }),
    ensurePullRequest: async (request) => {
      opened.push(request);
      return { number: 7, url: "http://github.invalid/o/r/pull/7", outcome: "created" };
    },
    requestReview: async () => true,
    reactToComment: unused,
    openPullRequestBranches: unused,
    readIssue: unused,
  };
}

const git: BranchPublisher = { pushBranch: async () => ({ outcome: "pushed", sha: "abc" }) };

function plan(draft: boolean): PublishPlan {
  return {
    kind: "pull-request",
    branch: "autofix/issue-1",
    base: "main",
    reviewer: "octocat",
    commit: { message: "Fix it", edits: [] },
    pull: { title: "Fix it", body: "Fixes #1", draft },
  };
}

describe("carrying out a publish plan", () => {
  it.each([
    [true, "Opened draft pull request #7. Review requested from @octocat."],
    [false, "Opened pull request #7. Review requested from @octocat."],
  ])("draft %s: the pull request and the message follow the setting", async (draft, message) => {
    const opened: PullRequestRequest[] = [];
    const edge = {
      forge: recordingForge(opened),
      git,
      token: async () => "t",
      author: { name: "a", email: "e" },
    };
    const result = await applyPlan(plan(draft), edge);
    expect(result).toMatchObject({ state: "done", message });
    expect(opened.map((request) => request.draft)).toEqual([draft]);
  });
});
