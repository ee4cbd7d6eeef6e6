import type { Logger, Probot } from "probot";
import { z } from "zod";
import type { Forge } from "../forge/forge.ts";
import { octokitForge } from "../forge/octokit-forge.ts";
import type { Delivery } from "../jobs/inbox.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { logCommand } from "./log-command.ts";
import { logLabeled } from "./log-labeled.ts";
import { type IssueCommentCreated, onIssueComment } from "./on-issue-comment.ts";
import { type IssueLabeled, onIssueLabeled } from "./on-issue-labeled.ts";
import { type IssueStopEvent, onIssueStop } from "./on-issue-stop.ts";

/** What a webhook handler records for the dispatcher: the facts the decision needs, and where. */
export type Recorded =
  | (Where & { kind: "labeled"; event: IssueLabeled })
  | (Where & { kind: "comment"; event: IssueCommentCreated })
  | (Where & { kind: "stop"; event: IssueStopEvent });
type Where = { installationId: number; owner: string; repo: string };

const where = { installationId: z.number().int(), owner: z.string(), repo: z.string() };
const common = {
  issueNumber: z.number().int(),
  senderLogin: z.string(),
  senderType: z.string(),
  deliveryId: z.string(),
  installationId: z.number().int(),
};
const recordedSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("labeled"),
    ...where,
    event: z.object({ ...common, labelName: z.string().optional() }),
  }),
  z.object({
    kind: z.literal("comment"),
    ...where,
    event: z.object({ ...common, onPullRequest: z.boolean(), commentId: z.number().int(), body: z.string() }),
  }),
  z.object({
    kind: z.literal("stop"),
    ...where,
    event: z.object({
      kind: z.enum(["closed", "unlabeled"]),
      issueNumber: z.number().int(),
      senderLogin: z.string(),
      labelName: z.string().optional(),
    }),
  }),
]);

/** The inbox row for a delivery: its subject keeps one issue's deliveries in order. */
export function inboxEntry(deliveryId: string, event: string, recorded: Recorded) {
  return {
    deliveryId,
    event,
    subject: `${recorded.owner}/${recorded.repo}#${recorded.event.issueNumber}`,
    payload: JSON.stringify(recorded),
  };
}

export function parseRecorded(payload: string): Recorded {
  const parsed = recordedSchema.parse(JSON.parse(payload));
  const target = { installationId: parsed.installationId, owner: parsed.owner, repo: parsed.repo };
  switch (parsed.kind) {
    case "labeled":
      return { ...target, kind: "labeled", event: { ...parsed.event, labelName: parsed.event.labelName } };
    case "comment":
      return { ...target, kind: "comment", event: parsed.event };
    case "stop": {
      const { kind, issueNumber, senderLogin, labelName } = parsed.event;
      const event: IssueStopEvent =
        kind === "closed"
          ? { kind, issueNumber, senderLogin }
          : { kind, issueNumber, senderLogin, labelName };
      return { ...target, kind: "stop", event };
    }
  }
}

/**
 * The dispatcher's decision for one recorded delivery: the same logic the webhook handlers ran inline
 * before, with a Forge for the delivery's installation. A throw is retried by the dispatcher, and
 * every step is idempotent (keyed by delivery or comment id, `ensure…` writes), so a retry is safe.
 */
export function deliveryHandler(probot: Probot, botLogin: () => Promise<string>, jobs: JobStore) {
  const forgeOf = async (recorded: Recorded): Promise<Forge> => {
    const octokit = await probot.auth(recorded.installationId);
    const { owner, repo } = recorded;
    return octokitForge({ octokit, owner, repo, botLogin: await botLogin() });
  };
  return async (delivery: Delivery): Promise<void> => {
    const recorded = parseRecorded(delivery.payload);
    const log: Logger = probot.log.child({
      deliveryId: delivery.deliveryId,
      event: delivery.event,
      repository: `${recorded.owner}/${recorded.repo}`,
      issue: recorded.event.issueNumber,
    });
    switch (recorded.kind) {
      case "labeled":
        logLabeled(log, await onIssueLabeled(recorded.event, await forgeOf(recorded), jobs));
        return;
      case "comment": {
        const login = await botLogin();
        logCommand(log, await onIssueComment(recorded.event, login, await forgeOf(recorded), jobs));
        return;
      }
      case "stop": {
        const repository = `${recorded.owner}/${recorded.repo}`;
        const result = await onIssueStop(recorded.event, repository, () => forgeOf(recorded), jobs);
        if (result.outcome === "cancelled")
          log.info({ jobIds: result.jobIds, reason: result.reason }, "cancelled the issue's jobs");
        else if (result.outcome === "ignored-permission") {
          log.info(
            { sender: result.login, role: result.role },
            "ignored: only write, maintain or admin may stop a run",
          );
        } else log.debug({ outcome: result.outcome }, "nothing to cancel");
        return;
      }
    }
  };
}
