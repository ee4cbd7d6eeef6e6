import type { ApplicationFunction, Context, Probot } from "probot";
import type { JobStore } from "../jobs/job-store.ts";
import { mightBeCommand } from "./commands.ts";
import { inboxEntry, type Recorded } from "./dispatch.ts";

export type AppServices = {
  jobs: JobStore;
  /** Called after a delivery is recorded, so the dispatcher looks at once instead of at its next poll. */
  onRecorded?: () => void;
};

/**
 * The autofix Probot app's webhook side: it only records each delivery that may need work in the
 * job store's inbox (Probot has checked the signature) and answers. The decisions — config,
 * permissions, caps, 👀, comments, queuing a job — are the dispatcher's (`dispatch.ts`), and running
 * jobs is the worker's (src/worker/worker.ts). GitHub gives up on a delivery after 10 s.
 */
export function createAutofixApp(services: AppServices): ApplicationFunction {
  return (app) => autofixApp(app, services);
}

type Common = { id: string; name: string; isBot: boolean; log: Context["log"] };

function autofixApp(app: Probot, { jobs, onRecorded }: AppServices): void {
  const record = (context: Common, event: string, recorded: Recorded | undefined) => {
    if (recorded === undefined) {
      context.log.warn({ deliveryId: context.id, event }, "ignored: the delivery names no App installation");
      return;
    }
    const fresh = jobs.recordDelivery(inboxEntry(context.id, event, recorded));
    context.log.debug({ deliveryId: context.id, event, fresh }, fresh ? "recorded" : "already recorded");
    if (fresh) onRecorded?.();
  };

  app.on("issues.labeled", async (context) => {
    const { payload } = context;
    if (context.isBot) return;
    const installationId = payload.installation?.id;
    record(
      context,
      "issues.labeled",
      installationId === undefined
        ? undefined
        : {
            kind: "labeled",
            ...repoOf(context),
            installationId,
            event: {
              issueNumber: payload.issue.number,
              labelName: payload.label?.name,
              senderType: payload.sender.type,
              senderLogin: payload.sender.login,
              deliveryId: context.id,
              installationId,
            },
          },
    );
  });

  app.on("issue_comment.created", async (context) => {
    const { payload } = context;
    // Most comments are not commands: nothing is recorded for them, and they cost no GitHub request.
    if (context.isBot || !mightBeCommand(payload.comment.body)) return;
    const installationId = payload.installation?.id;
    record(
      context,
      "issue_comment.created",
      installationId === undefined
        ? undefined
        : {
            kind: "comment",
            ...repoOf(context),
            installationId,
            event: {
              issueNumber: payload.issue.number,
              onPullRequest: payload.issue.pull_request != null,
              commentId: payload.comment.id,
              body: payload.comment.body,
              senderLogin: payload.sender.login,
              senderType: payload.sender.type,
              deliveryId: context.id,
              installationId,
            },
          },
    );
  });

  app.on(["issues.unlabeled", "issues.closed"], async (context) => {
    const { payload } = context;
    if (context.isBot) return;
    const installationId = payload.installation?.id;
    const issueNumber = payload.issue.number;
    const senderLogin = payload.sender.login;
    record(
      context,
      `issues.${payload.action}`,
      installationId === undefined
        ? undefined
        : {
            kind: "stop",
            ...repoOf(context),
            installationId,
            event:
              payload.action === "closed"
                ? { kind: "closed", issueNumber, senderLogin }
                : {
                    kind: "unlabeled",
                    issueNumber,
                    senderLogin,
                    labelName: "label" in payload ? payload.label?.name : undefined,
                  },
          },
    );
  });
}

function repoOf(context: Pick<Context, "repo">): { owner: string; repo: string } {
  const { owner, repo } = context.repo();
  return { owner, repo };
}
