import type { Logger } from "probot";
import type { CommandOutcome } from "./on-issue-comment.ts";

/** One log line per command comment, at a level that says whether anything happened. */
export function logCommand(log: Logger, result: CommandOutcome): void {
  switch (result.outcome) {
    case "ignored-not-command":
    case "ignored-bot":
      log.debug({ outcome: result.outcome }, "comment ignored");
      return;
    case "ignored-pull-request":
      log.info({ command: result.command }, "ignored: autofix commands are for issues, not pull requests");
      return;
    case "ignored-permission":
      log.info(
        { command: result.command, sender: result.login, role: result.role },
        "ignored: only write, maintain or admin may give autofix commands",
      );
      return;
    case "config-invalid":
      log.warn(
        { problems: result.problems, comment: result.comment },
        "retry refused: the repo config is invalid",
      );
      return;
    case "capped":
      log.info(
        { refusal: result.refusal, comment: result.comment },
        `retry refused: ${result.refusal.cap} cap`,
      );
      return;
    case "retry-queued":
      log.info({ jobId: result.jobId, newJob: result.created }, "/autofix retry: job queued");
      return;
    case "retry-joined":
      log.info({ jobId: result.jobId }, "/autofix retry: a run is already active; left it running");
      return;
    case "stopped":
      log.info({ jobIds: result.jobIds }, "/autofix stop: cancelled the issue's jobs");
      return;
    case "nothing-to-stop":
      log.info("/autofix stop: nothing active");
      return;
    case "status":
      log.info({ reply: result.reply }, "/autofix status answered");
      return;
  }
}
