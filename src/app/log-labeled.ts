import type { Logger } from "probot";
import type { LabeledOutcome } from "./on-issue-labeled.ts";

/** One log line per decided `issues.labeled`, at a level that says whether anything happened. */
export function logLabeled(log: Logger, result: LabeledOutcome): void {
  switch (result.outcome) {
    case "ignored-bot":
      log.debug("ignored: sent by a bot");
      return;
    case "ignored-label":
      log.debug({ label: result.label, trigger: result.trigger }, "ignored: not the trigger label");
      return;
    case "ignored-permission":
      log.info(
        { sender: result.login, role: result.role },
        "ignored: the labeler lacks write access (only write, maintain or admin may start a run)",
      );
      return;
    case "config-invalid":
      log.warn(
        { problems: result.problems, comment: result.comment },
        "repo config is invalid: commented on the issue, not starting",
      );
      return;
    case "capped":
      log.info(
        { refusal: result.refusal, comment: result.comment },
        `not starting: the repository's ${result.refusal.cap} cap is reached (commented on the issue)`,
      );
      return;
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
      return;
  }
}
