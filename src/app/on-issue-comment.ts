import type { ConfigProblem } from "../config/load.ts";
import { canTrigger, type Forge, type RepoRole } from "../forge/forge.ts";
import type { Job, JobStore } from "../jobs/job-store.ts";
import type { CapRefusal } from "./caps.ts";
import { renderStatusReply, replyMarker } from "./command-replies.ts";
import { type CommandVerb, parseCommand, slugOf } from "./commands.ts";
import { CONFIG_PROBLEMS_MARKER, renderConfigProblems } from "./config-comment.ts";
import { triggerLabelOf, validate } from "./on-issue-labeled.ts";
import { queueRun } from "./queue-run.ts";

/** The facts of an `issue_comment.created` delivery the decision needs. */
export type IssueCommentCreated = {
  issueNumber: number;
  /** Comments on pull requests arrive as issue comments too; autofix commands are for issues. */
  onPullRequest: boolean;
  commentId: number;
  body: string;
  senderLogin: string;
  senderType: string;
  deliveryId: string;
  installationId: number | undefined;
  now?: number;
};

type Answer = "created" | "updated" | "unchanged";
export type CommandOutcome =
  | { outcome: "ignored-not-command" }
  | { outcome: "ignored-bot" }
  | { outcome: "ignored-pull-request"; command: CommandVerb }
  | { outcome: "ignored-permission"; command: CommandVerb; login: string; role: RepoRole }
  | { outcome: "config-invalid"; problems: ConfigProblem[]; comment: Answer }
  | { outcome: "retry-queued"; jobId: number; created: boolean }
  | { outcome: "retry-joined"; jobId: number; reply: Answer }
  | { outcome: "capped"; refusal: CapRefusal; comment: Answer }
  | { outcome: "stopped"; jobIds: number[] }
  | { outcome: "nothing-to-stop"; reply: Answer }
  | { outcome: "status"; reply: Answer };

/**
 * `/autofix retry|stop|status` (or `@<app-slug> retry|stop|status`) in a new issue comment.
 * Only write, maintain and admin may give commands, `status` included: the App acts for people who
 * could push the fix themselves and for nobody else, so an outsider cannot make it spend GitHub
 * requests or write to the issue (the live status comment already shows everyone the progress).
 * Answers: 🚀 on a retry that queued a run, 👍 on a stop that cancelled one, otherwise one reply comment
 * per command comment (found again by a marker naming it, so a redelivery edits nothing twice).
 */
export async function onIssueComment(
  event: IssueCommentCreated,
  botLogin: string,
  forge: Forge,
  jobs: JobStore,
): Promise<CommandOutcome> {
  if (event.senderType === "Bot" || event.senderLogin === botLogin) return { outcome: "ignored-bot" };
  const command = parseCommand(event.body, slugOf(botLogin));
  if (command === undefined) return { outcome: "ignored-not-command" };
  if (event.onPullRequest) return { outcome: "ignored-pull-request", command };
  const role = await forge.permissionOf(event.senderLogin);
  if (!canTrigger(role)) return { outcome: "ignored-permission", command, login: event.senderLogin, role };

  const reply = async (body: string) =>
    (await forge.ensureComment(event.issueNumber, replyMarker(event.commentId), body)).outcome;
  const active = activeJobs(jobs, forge.repository, event.issueNumber);

  if (command === "stop") {
    if (active.length === 0) {
      const answer = await reply("Nothing to stop: no autofix run is queued or running for this issue.");
      return { outcome: "nothing-to-stop", reply: answer };
    }
    const reason = `stopped by ${event.senderLogin} with /autofix stop`;
    const cancelled = jobs.cancel(forge.repository, event.issueNumber, reason);
    await forge.reactToComment(event.commentId, "+1");
    return { outcome: "stopped", jobIds: cancelled.map((job) => job.id) };
  }
  if (command === "status") {
    const latest = jobs.forIssue(forge.repository, event.issueNumber)[0];
    const answer = await reply(renderStatusReply(latest, jobs.runsInLastHour(forge.repository)));
    return { outcome: "status", reply: answer };
  }
  return retry(event, forge, jobs, reply);
}

async function retry(
  event: IssueCommentCreated,
  forge: Forge,
  jobs: JobStore,
  reply: (body: string) => Promise<Answer>,
): Promise<CommandOutcome> {
  const read = await forge.readConfig();
  const result = validate(read);
  if (!result.ok) {
    const label = triggerLabelOf(read);
    const body = renderConfigProblems({ problems: result.problems, sources: read.sources, label });
    const { outcome } = await forge.ensureComment(event.issueNumber, CONFIG_PROBLEMS_MARKER, body);
    return { outcome: "config-invalid", problems: result.problems, comment: outcome };
  }
  const start = await queueRun(
    {
      issueNumber: event.issueNumber,
      key: `issue-comment:${event.commentId}`,
      installationId: event.installationId,
      trigger: "retry",
      triggeredBy: event.senderLogin,
      config: result.config,
      now: event.now ?? Date.now(),
    },
    forge,
    jobs,
  );
  if (start.outcome === "capped") return start;
  if (start.outcome === "joined") {
    const answer = await reply(
      `A run is already ${start.job.state} for this issue (job ${start.job.id}); it goes on. ` +
        "To start over, comment `/autofix stop`, then `/autofix retry`.",
    );
    return { outcome: "retry-joined", jobId: start.job.id, reply: answer };
  }
  await forge.reactToComment(event.commentId, "rocket");
  return { outcome: "retry-queued", jobId: start.job.id, created: start.created };
}

function activeJobs(jobs: JobStore, repository: string, issueNumber: number): Job[] {
  return jobs.forIssue(repository, issueNumber).filter((j) => j.state === "queued" || j.state === "running");
}
