import type { DeliveryInbox } from "./inbox.ts";

/**
 * The durable queue of autofix runs. SQLite (`sqlite-job-store.ts`) is the embedded default; the
 * interface is small enough for a distributed engine (Redis/BullMQ) to implement later.
 *
 * Guarantees every implementation keeps:
 * - `enqueue` is idempotent by webhook delivery id, and by (repository, issue, trigger) while a job
 *   for that key is queued or running;
 * - `claim` hands a queued job to exactly one worker, honouring the concurrency limits, and never
 *   starts a job while another job for the same issue is running;
 * - a worker's `heartbeat`/`finish` only count while the job is still its own and running, so a
 *   worker presumed dead (and whose job was re-queued) cannot finish it a second time;
 * - `recoverStale` re-queues running jobs whose heartbeat stopped, or fails them after N attempts.
 * It is also the inbox of webhook deliveries (`inbox.ts`), so recording a delivery and queuing its job
 * share one database.
 */
export interface JobStore extends DeliveryInbox {
  enqueue(request: EnqueueRequest): EnqueueResult;
  claim(workerId: string, limits: ConcurrencyLimits): Job | undefined;
  /** Still running and still this worker's → true (and the heartbeat and stage are recorded). */
  heartbeat(jobId: number, workerId: string, stage?: string): boolean;
  finish(jobId: number, workerId: string, outcome: FinalOutcome, reason?: string): boolean;
  /** Cancel the queued or running jobs of an issue (unlabel, close, `/autofix stop`). */
  cancel(repository: string, issueNumber: number, reason: string): Job[];
  recoverStale(options: RecoveryOptions): RecoveryResult;
  /**
   * Hand the running jobs of a worker that is shutting down back to the queue at once (no wait for the
   * stale threshold), without counting the interrupted start as an attempt. Returns their ids.
   */
  release(workerId: string): number[];
  /** Jobs of the repository that started (were claimed) in the last hour: the runs-per-hour cap. */
  runsInLastHour(repository: string): number;
  /** When each run of the repository in the last hour started (ms since the epoch), oldest first. */
  recentRunStarts(repository: string): number[];
  /** How many jobs are in each state, over every repository or one (metrics, caps). */
  countByState(repository?: string): Record<JobState, number>;
  get(jobId: number): Job | undefined;
  /** The job a delivery (or another idempotency key passed as `deliveryId`) produced or joined. */
  byDelivery(deliveryId: string): Job | undefined;
  /** The jobs of an issue, newest first. */
  forIssue(repository: string, issueNumber: number): Job[];
  close(): void;
}

export const JOB_STATES = ["queued", "running", "done", "abstained", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];
export type FinalOutcome = "done" | "abstained" | "failed" | "cancelled";

export type EnqueueRequest = {
  deliveryId: string;
  installationId: number;
  /** `owner/name`. */
  repository: string;
  issueNumber: number;
  /** What started it: `label`, `retry`, … — one active job per (repository, issue, trigger). */
  trigger: string;
  /** The login of the person who triggered it (review is requested from them). */
  triggeredBy: string;
};

export type EnqueueResult = {
  job: Job;
  /** false when the delivery, or an active job for the same key, was already there. */
  created: boolean;
};

export type Job = EnqueueRequest & {
  id: number;
  state: JobState;
  /** The pipeline stage a running job reported last (`localize`, `reproduce`, …). */
  stage: string | undefined;
  attempts: number;
  workerId: string | undefined;
  /** Why it failed, abstained or was cancelled. */
  reason: string | undefined;
  createdAt: number;
  startedAt: number | undefined;
  heartbeatAt: number | undefined;
  finishedAt: number | undefined;
};

export type ConcurrencyLimits = {
  /** Running jobs at most, per GitHub App installation. */
  perInstallation: number;
  /** Running jobs at most, per repository. */
  perRepository: number;
};

export type RecoveryOptions = {
  /** A running job whose last heartbeat is older than this is presumed orphaned. */
  staleAfterMs: number;
  /** An orphaned job that has been started this many times is failed instead of re-queued. */
  maxAttempts: number;
};

export type RecoveryResult = { requeued: number[]; failed: number[] };
