import type { LabeledPayload } from "../app/helpers.ts";
import type { GitHubStandIn } from "./github-stand-in/server.ts";

export type BurstDelivery = { id: string; issueNumber: number; body: string };
export type Answer = { id: string; status: number; ms: number };

/** Config that lets every issue of a burst start a run (the default caps would refuse most of them). */
export const UNCAPPED_CONFIG = "caps:\n  runsPerHour: 1000\n  maxOpenPullRequests: 100\n";

/**
 * `issues.labeled` (label `autofix`) deliveries for `issues` issues, `perIssue` distinct deliveries
 * each (a label added, removed and added again, or several maintainers labelling at once), interleaved.
 */
export function labeledBurst(
  example: LabeledPayload,
  options: { issues: number; perIssue: number; installationId: number; firstIssue?: number },
): BurstDelivery[] {
  const deliveries: BurstDelivery[] = [];
  const first = options.firstIssue ?? 100;
  for (let round = 0; round < options.perIssue; round++) {
    for (let i = 0; i < options.issues; i++) {
      const payload = structuredClone(example);
      const issueNumber = first + i;
      payload.issue.number = issueNumber;
      payload.label.name = "autofix";
      payload.sender.type = "User";
      payload.installation = {
        id: options.installationId,
        node_id: `installation-${options.installationId}`,
      };
      deliveries.push({ id: `burst-${issueNumber}-${round}`, issueNumber, body: JSON.stringify(payload) });
    }
  }
  return deliveries;
}

/** POST every delivery at once; each answer's status and time from the burst's start. */
export async function sendBurst(
  deliveries: BurstDelivery[],
  post: (delivery: BurstDelivery) => Promise<Response>,
): Promise<Answer[]> {
  const start = performance.now();
  return Promise.all(
    deliveries.map(async (delivery) => {
      const response = await post(delivery);
      await response.arrayBuffer();
      return { id: delivery.id, status: response.status, ms: performance.now() - start };
    }),
  );
}

/** How many 👀/reaction POSTs the stand-in received for each issue number. */
export function reactionPostsPerIssue(github: GitHubStandIn): Map<number, number> {
  const counts = new Map<number, number>();
  for (const request of github.requests) {
    if (request.operationId !== "reactions/create-for-issue") continue;
    const issue = Number(/\/issues\/(\d+)\/reactions$/.exec(request.path)?.[1]);
    counts.set(issue, (counts.get(issue) ?? 0) + 1);
  }
  return counts;
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
