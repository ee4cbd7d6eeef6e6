import type { AutofixConfig } from "../config/schema.ts";
import type { Forge } from "../forge/forge.ts";
import type { JobStore } from "../jobs/job-store.ts";

/** Hidden marker of the one comment per issue that says a cap refused a run (edited, never duplicated). */
export const CAP_MARKER = "<!-- autofix:cap -->";
const HOUR_MS = 3_600_000;

export type CapRefusal =
  | { cap: "runsPerHour"; limit: number; used: number; retryAt: number }
  | { cap: "maxOpenPullRequests"; limit: number; branches: string[] };

export type CapInput = {
  repository: string;
  issueNumber: number;
  config: Pick<AutofixConfig, "caps" | "pullRequest">;
  now: number;
};

/**
 * Would a new run of this issue exceed the repository's caps? Runs per hour counts the runs started in
 * the last hour plus the jobs already queued (each of them is about to start one). Open pull requests
 * counts the repository's open PRs from branches with the configured prefix, except this issue's own
 * branch (a run for it updates that PR instead of opening another).
 */
export async function capRefusal(
  input: CapInput,
  forge: Forge,
  jobs: JobStore,
): Promise<CapRefusal | undefined> {
  const { caps, pullRequest } = input.config;
  const starts = jobs.recentRunStarts(input.repository);
  const queued = jobs.countByState(input.repository).queued;
  const used = starts.length + queued;
  if (used >= caps.runsPerHour) {
    // The cap frees up once enough of the counted starts are an hour old; queued jobs will start (and
    // count) soon, so with only those in the way the honest answer is "in an hour".
    const expiring = used - caps.runsPerHour;
    const start = starts[expiring];
    const retryAt = start === undefined ? input.now + HOUR_MS : start + HOUR_MS;
    return { cap: "runsPerHour", limit: caps.runsPerHour, used, retryAt };
  }
  const own = `${pullRequest.branchPrefix}issue-${input.issueNumber}`;
  const branches = (await forge.openPullRequestBranches(pullRequest.branchPrefix)).filter((b) => b !== own);
  if (branches.length >= caps.maxOpenPullRequests) {
    return { cap: "maxOpenPullRequests", limit: caps.maxOpenPullRequests, branches };
  }
  return undefined;
}

/** The comment for a refused run: which cap, where it is set, and when (or after what) to try again. */
export function renderCapRefusal(refusal: CapRefusal, label: string): string {
  const again = `re-add the \`${label}\` label or comment \`/autofix retry\``;
  const lines = [CAP_MARKER, "### autofix did not start: a repository cap was reached", ""];
  if (refusal.cap === "runsPerHour") {
    lines.push(
      `This repository allows **${refusal.limit} run${refusal.limit === 1 ? "" : "s"} per hour** ` +
        `(\`caps.runsPerHour\`), and ${refusal.used} started in the last hour or are queued.`,
      "",
      `**Try again after ${new Date(refusal.retryAt).toISOString().slice(0, 16).replace("T", " ")} UTC**: ${again}.`,
    );
  } else {
    lines.push(
      `This repository allows **${refusal.limit} open autofix pull request${refusal.limit === 1 ? "" : "s"}** ` +
        `(\`caps.maxOpenPullRequests\`), and ${refusal.branches.length} are open: ` +
        `${refusal.branches.map((b) => `\`${b}\``).join(", ")}.`,
      "",
      `**Try again after one of them is merged or closed**: ${again}.`,
    );
  }
  lines.push("", "The caps are set in `.github/autofix.yml` (`caps:`).");
  return lines.join("\n");
}
