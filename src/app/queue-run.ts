import type { AutofixConfig } from "../config/schema.ts";
import { AutofixError } from "../errors.ts";
import type { Forge } from "../forge/forge.ts";
import type { Job, JobStore } from "../jobs/job-store.ts";
import { CAP_MARKER, type CapRefusal, capRefusal, renderCapRefusal } from "./caps.ts";

export type StartRequest = {
  issueNumber: number;
  /** The idempotency key: the webhook delivery id (label) or the command comment's id (retry). */
  key: string;
  installationId: number | undefined;
  trigger: "label" | "retry";
  triggeredBy: string;
  config: AutofixConfig;
  now: number;
};

export type StartOutcome =
  /** A job for this key: new (`created`), or the one an earlier delivery of the same key made. */
  | { outcome: "queued"; job: Job; created: boolean }
  /** Another job for the issue is queued or running already; nothing new was queued. */
  | { outcome: "joined"; job: Job }
  | { outcome: "capped"; refusal: CapRefusal; comment: "created" | "updated" | "unchanged" };

/**
 * Queue a run for an issue, once: a key seen before returns its job; an active job for the issue is
 * joined rather than doubled; otherwise the repository's caps are checked (refusal → one cap comment,
 * edited in place) and a job is queued.
 */
export async function queueRun(request: StartRequest, forge: Forge, jobs: JobStore): Promise<StartOutcome> {
  const known = jobs.byDelivery(request.key);
  if (known !== undefined) return { outcome: "queued", job: known, created: false };
  const active = jobs
    .forIssue(forge.repository, request.issueNumber)
    .find((job) => job.state === "queued" || job.state === "running");
  if (active !== undefined) {
    // A redelivered label joins its issue's job the way it always did (the delivery is recorded).
    if (active.trigger !== request.trigger) return { outcome: "joined", job: active };
  } else {
    const input = { repository: forge.repository, issueNumber: request.issueNumber, config: request.config };
    const refusal = await capRefusal({ ...input, now: request.now }, forge, jobs);
    if (refusal !== undefined) {
      const body = renderCapRefusal(refusal, request.config.label);
      const { outcome } = await forge.ensureComment(request.issueNumber, CAP_MARKER, body);
      return { outcome: "capped", refusal, comment: outcome };
    }
  }
  const { job, created } = jobs.enqueue({
    deliveryId: request.key,
    installationId: requireInstallation(request),
    repository: forge.repository,
    issueNumber: request.issueNumber,
    trigger: request.trigger,
    triggeredBy: request.triggeredBy,
  });
  if (created && active === undefined) await clearCapComment(forge, request.issueNumber, job.id);
  return created ? { outcome: "queued", job, created } : { outcome: "joined", job };
}

/** A cap comment left by an earlier refusal would say "did not start" forever: say it has started. */
async function clearCapComment(forge: Forge, issueNumber: number, jobId: number): Promise<void> {
  const body = `${CAP_MARKER}\n~~autofix did not start: a repository cap was reached~~ — the cap allowed a run later (job ${jobId}).`;
  await forge.updateCommentIfPresent(issueNumber, CAP_MARKER, body);
}

function requireInstallation(request: StartRequest): number {
  if (request.installationId !== undefined) return request.installationId;
  throw new AutofixError("webhook_without_installation", "the delivery names no App installation", {
    hint: "deliveries must come from the App's own webhook (installation events), not a repository webhook",
    context: { key: request.key },
  });
}
