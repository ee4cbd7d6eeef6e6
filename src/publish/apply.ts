import { type Forge, type PullRequestOutcome, type PullRequestRequest, statusOf } from "../forge/forge.ts";
import type { BranchPublisher } from "./git-branch.ts";
import type { PublishPlan } from "./plan.ts";

export type PublishEdge = {
  forge: Forge;
  git: BranchPublisher;
  /** The installation token, asked for only when a branch is pushed. */
  token: () => Promise<string>;
  /** The App's git identity (`<slug>[bot]`). */
  author: { name: string; email: string };
};

export type PublishResult =
  | {
      state: "done";
      pullRequest: { number: number; url: string; outcome: "created" | "updated" };
      message: string;
    }
  | { state: "abstained"; message: string }
  | { state: "left-alone"; message: string };

/** Carry out a plan: push the branch, then ensure one PR (a draft unless configured) and ask for review. Never merges. */
export async function applyPlan(plan: PublishPlan, edge: PublishEdge): Promise<PublishResult> {
  if (plan.kind === "abstain") return { state: "abstained", message: plan.message };
  const { cloneUrl } = await edge.forge.repositoryInfo();
  const pushed = await edge.git.pushBranch({
    cloneUrl,
    token: await edge.token(),
    branch: plan.branch,
    base: plan.base,
    edits: plan.commit.edits,
    ...(plan.commit.diff === undefined ? {} : { diff: plan.commit.diff }),
    ...(plan.commit.baseCommit === undefined ? {} : { baseCommit: plan.commit.baseCommit }),
    message: plan.commit.message,
    author: edge.author,
  });
  if (pushed.outcome === "human-owned") {
    return {
      state: "left-alone",
      message:
        `The branch \`${plan.branch}\` has a commit by ${pushed.author}, so autofix no longer touches it ` +
        "(nor its pull request). Delete the branch to let autofix publish there again.",
    };
  }
  const pullRequest = await ensurePullRequestOnce(edge.forge, {
    head: plan.branch,
    ...plan.pull,
    base: plan.base,
  });
  const reviewed = await edge.forge.requestReview(pullRequest.number, plan.reviewer);
  const review = reviewed
    ? `Review requested from @${plan.reviewer}.`
    : `A review could not be requested from @${plan.reviewer}.`;
  return {
    state: "done",
    pullRequest,
    message: `${pullRequest.outcome === "created" ? "Opened" : "Updated"} ${plan.pull.draft ? "draft " : ""}pull request #${pullRequest.number}. ${review}`,
  };
}

/**
 * GitHub can answer 502 to a pull request it did open, and a client's retry of the create then meets
 * 422 "already exists". Ensuring once more lists the branch's pull requests again: it finds the one
 * that landed (and updates it), or opens it — exactly one, either way.
 */
async function ensurePullRequestOnce(forge: Forge, request: PullRequestRequest): Promise<PullRequestOutcome> {
  try {
    return await forge.ensurePullRequest(request);
  } catch (error) {
    const status = statusOf(error) ?? statusOf(error instanceof Error ? error.cause : undefined);
    if (status === undefined || !(status === 422 || status >= 500)) throw error;
    return await forge.ensurePullRequest(request);
  }
}
