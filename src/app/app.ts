import type { ApplicationFunction, Probot } from "probot";
import { forgeFromContext } from "../forge/octokit-forge.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { botLoginResolver } from "./bot-identity.ts";
import { mightBeCommand } from "./commands.ts";
import { logCommand } from "./log-command.ts";
import { onIssueComment } from "./on-issue-comment.ts";
import { onIssueLabeled } from "./on-issue-labeled.ts";
import { type IssueStopEvent, onIssueStop } from "./on-issue-stop.ts";

export type AppServices = { jobs: JobStore };

/**
 * The autofix Probot app: it acknowledges a trigger label with 👀 and queues a job (or
 * explains an invalid config). Running jobs and publishing is the worker's (src/worker/worker.ts).
 */
export function createAutofixApp(services: AppServices): ApplicationFunction {
  return (app) => autofixApp(app, services);
}

function autofixApp(app: Probot, { jobs }: AppServices): void {
  const botLogin = botLoginResolver(app);

  app.on("issues.labeled", async (context) => {
    const { payload } = context;
    const log = context.log.child({
      deliveryId: context.id,
      event: "issues.labeled",
      repository: payload.repository.full_name,
      issue: payload.issue.number,
    });
    if (context.isBot) {
      log.debug({ sender: payload.sender.login }, "ignored: sent by a bot");
      return;
    }
    const forge = forgeFromContext(context, await botLogin());
    const result = await onIssueLabeled(
      {
        issueNumber: payload.issue.number,
        labelName: payload.label?.name,
        senderType: payload.sender.type,
        senderLogin: payload.sender.login,
        deliveryId: context.id,
        installationId: payload.installation?.id,
      },
      forge,
      jobs,
    );
    switch (result.outcome) {
      case "ignored-bot":
        log.debug("ignored: sent by a bot");
        break;
      case "ignored-label":
        log.debug({ label: result.label, trigger: result.trigger }, "ignored: not the trigger label");
        break;
      case "ignored-permission":
        log.info(
          { sender: result.login, role: result.role },
          "ignored: the labeler lacks write access (only write, maintain or admin may start a run)",
        );
        break;
      case "config-invalid":
        log.warn(
          { problems: result.problems, comment: result.comment },
          "repo config is invalid: commented on the issue, not starting",
        );
        break;
      case "capped":
        log.info(
          { refusal: result.refusal, comment: result.comment },
          `not starting: the repository's ${result.refusal.cap} cap is reached (commented on the issue)`,
        );
        break;
      case "acknowledged":
        log.info(
          {
            reaction: result.reaction,
            label: result.config.label,
            jobId: result.job.id,
            newJob: result.job.created,
          },
          result.job.created
            ? "trigger label: acknowledged with 👀, job queued"
            : "trigger label: job already queued",
        );
        break;
    }
  });

  app.on("issue_comment.created", async (context) => {
    const { payload } = context;
    const log = context.log.child({
      deliveryId: context.id,
      event: "issue_comment.created",
      repository: payload.repository.full_name,
      issue: payload.issue.number,
      comment: payload.comment.id,
    });
    // Most comments are not commands: they cost no GitHub request (not even the App's identity).
    if (context.isBot || !mightBeCommand(payload.comment.body)) return;
    const login = await botLogin();
    const result = await onIssueComment(
      {
        issueNumber: payload.issue.number,
        onPullRequest: payload.issue.pull_request != null,
        commentId: payload.comment.id,
        body: payload.comment.body,
        senderLogin: payload.sender.login,
        senderType: payload.sender.type,
        deliveryId: context.id,
        installationId: payload.installation?.id,
      },
      login,
      forgeFromContext(context, login),
      jobs,
    );
    logCommand(log, result);
  });

  app.on(["issues.unlabeled", "issues.closed"], async (context) => {
    const { payload } = context;
    const log = context.log.child({
      deliveryId: context.id,
      event: `issues.${payload.action}`,
      repository: payload.repository.full_name,
      issue: payload.issue.number,
    });
    if (context.isBot) return;
    const base = { issueNumber: payload.issue.number, senderLogin: payload.sender.login };
    const event: IssueStopEvent =
      payload.action === "closed"
        ? { kind: "closed", ...base }
        : { kind: "unlabeled", ...base, labelName: "label" in payload ? payload.label?.name : undefined };
    const forgeFor = async () => forgeFromContext(context, await botLogin());
    const result = await onIssueStop(event, payload.repository.full_name, forgeFor, jobs);
    if (result.outcome === "cancelled")
      log.info({ jobIds: result.jobIds, reason: result.reason }, "cancelled the issue's jobs");
    else if (result.outcome === "ignored-permission") {
      log.info(
        { sender: result.login, role: result.role },
        "ignored: only write, maintain or admin may stop a run",
      );
    } else log.debug({ outcome: result.outcome }, "nothing to cancel");
  });
}
