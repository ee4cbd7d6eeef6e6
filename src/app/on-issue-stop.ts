import { canTrigger, type Forge, type RepoRole } from "../forge/forge.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { sameLabel, triggerLabelOf } from "./on-issue-labeled.ts";

/** The facts of an `issues.unlabeled` or `issues.closed` delivery the decision needs. */
export type IssueStopEvent =
  | { kind: "closed"; issueNumber: number; senderLogin: string }
  | { kind: "unlabeled"; issueNumber: number; senderLogin: string; labelName: string | undefined };

export type StopOutcome =
  | { outcome: "nothing-active" }
  | { outcome: "ignored-label"; label: string | undefined }
  | { outcome: "ignored-permission"; login: string; role: RepoRole }
  | { outcome: "cancelled"; jobIds: number[]; reason: string };

/**
 * Closing the issue, or removing the trigger label, cancels its queued and running jobs (the worker
 * notices at its next heartbeat). Removing the label counts only from someone with write access;
 * a closed issue is cancelled whoever closed it, since there is nothing left to fix.
 * Nothing active → no GitHub request at all.
 */
export async function onIssueStop(
  event: IssueStopEvent,
  repository: string,
  forgeFor: () => Promise<Forge>,
  jobs: JobStore,
): Promise<StopOutcome> {
  const active = jobs
    .forIssue(repository, event.issueNumber)
    .filter((job) => job.state === "queued" || job.state === "running");
  if (active.length === 0) return { outcome: "nothing-active" };

  if (event.kind === "unlabeled") {
    const forge = await forgeFor();
    if (!sameLabel(event.labelName, triggerLabelOf(await forge.readConfig()))) {
      return { outcome: "ignored-label", label: event.labelName };
    }
    const role = await forge.permissionOf(event.senderLogin);
    if (!canTrigger(role)) return { outcome: "ignored-permission", login: event.senderLogin, role };
  }
  const reason =
    event.kind === "closed"
      ? `the issue was closed by ${event.senderLogin}`
      : `the trigger label was removed by ${event.senderLogin}`;
  const cancelled = jobs.cancel(repository, event.issueNumber, reason);
  return { outcome: "cancelled", jobIds: cancelled.map((job) => job.id), reason };
}
