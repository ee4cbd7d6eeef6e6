import type { ApplicationFunctionOptions, Probot } from "probot";
import { forgeFromContext } from "../forge/octokit-forge.ts";
import { botLoginResolver } from "./bot-identity.ts";
import { onIssueLabeled } from "./on-issue-labeled.ts";

/**
 * The autofix Probot app. Today it acknowledges a trigger label with 👀 (or explains an invalid
 * config); the job queue, status comment and pull request of the full flow are issue 6's.
 */
export function autofixApp(app: Probot, _options?: ApplicationFunctionOptions): void {
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
      { issueNumber: payload.issue.number, labelName: payload.label?.name, senderType: payload.sender.type },
      forge,
    );
    switch (result.outcome) {
      case "ignored-bot":
        log.debug("ignored: sent by a bot");
        break;
      case "ignored-label":
        log.debug({ label: result.label, trigger: result.trigger }, "ignored: not the trigger label");
        break;
      case "config-invalid":
        log.warn(
          { problems: result.problems, comment: result.comment },
          "repo config is invalid: commented on the issue, not starting",
        );
        break;
      case "acknowledged":
        log.info(
          { reaction: result.reaction, label: result.config.label },
          "trigger label: acknowledged with 👀",
        );
        break;
    }
  });
}
