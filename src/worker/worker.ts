import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { AutofixConfig } from "../config/schema.ts";
import type { Stage } from "../contract/progress.ts";
import { AutofixError, describeError } from "../errors.ts";
import type { ConcurrencyLimits, Job, JobStore } from "../jobs/job-store.ts";
import { applyPlan, type PublishEdge } from "../publish/apply.ts";
import { planPublication } from "../publish/plan.ts";
import { emptyStatus, type StatusView, withProgress, withReport } from "../publish/status-comment.ts";
import { cancellationReason, failureMessage } from "./job-errors.ts";
import type { RunPipeline, RunServices } from "./pipeline.ts";
import { statusWriter } from "./status-writer.ts";

/**
 * What a job needs from the outside: the publishing edge (its forge writes the status comment) and
 * the repository config, loaded once the status comment can report a failure to load it.
 */
export type JobContext = { edge: PublishEdge; loadConfig(): Promise<AutofixConfig> };

export type WorkerOptions = {
  jobs: JobStore;
  pipeline: RunPipeline;
  contextFor: (job: Job) => Promise<JobContext>;
  log: Logger;
  workerId?: string;
  limits?: ConcurrencyLimits;
  /** Jobs this worker runs at once. */
  concurrency?: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** A running job with no heartbeat for this long is re-queued (or failed after `maxAttempts`). */
  staleAfterMs?: number;
  maxAttempts?: number;
};

export type Worker = {
  readonly id: string;
  /** Stop claiming, abort running jobs (they stay `running` and are recovered later), wait for them. */
  stop(): Promise<void>;
};

const SHUTDOWN = "the App is shutting down";

/** Claims queued jobs and runs each through the pipeline, then publishes; a failure fails the job, never the App. */
export function startWorker(options: WorkerOptions): Worker {
  const id = options.workerId ?? `worker-${randomUUID()}`;
  const limits = options.limits ?? { perInstallation: 2, perRepository: 1 };
  const concurrency = options.concurrency ?? 2;
  const pollMs = options.pollMs ?? 1_000;
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const recovery = { staleAfterMs, maxAttempts: options.maxAttempts ?? 3 };
  const stopping = new AbortController();
  const running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  const log = options.log.child({ workerId: id });

  const recover = () => {
    const result = options.jobs.recoverStale(recovery);
    if (result.requeued.length + result.failed.length > 0) log.info(result, "recovered orphaned jobs");
  };
  recover();

  const claimNext = (): Job | undefined => {
    if (running.size >= concurrency) return undefined;
    try {
      return options.jobs.claim(id, limits);
    } catch (error) {
      log.error({ err: error }, "could not claim a job (the job database may be busy); trying again");
      return undefined;
    }
  };

  const loop = (async () => {
    let lastRecovery = Date.now();
    while (!stopping.signal.aborted) {
      if (Date.now() - lastRecovery > staleAfterMs / 2) {
        lastRecovery = Date.now();
        try {
          recover();
        } catch (error) {
          log.error({ err: error }, "could not recover orphaned jobs; trying again later");
        }
      }
      const job = claimNext();
      if (job === undefined) {
        await sleep(pollMs, undefined, { signal: stopping.signal }).catch(() => undefined);
        continue;
      }
      const abort = new AbortController();
      const done = runJob(job, abort, { ...options, workerId: id, log })
        .catch((error: unknown) => log.error({ err: error, jobId: job.id }, "job bookkeeping failed"))
        .finally(() => running.delete(job.id));
      running.set(job.id, { abort, done });
    }
  })();

  return {
    id,
    async stop() {
      stopping.abort();
      for (const { abort } of running.values()) abort.abort(new Error(SHUTDOWN));
      await loop;
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}

type RunOptions = WorkerOptions & { workerId: string };

async function runJob(job: Job, abort: AbortController, options: RunOptions): Promise<void> {
  const { jobs, workerId } = options;
  const log = options.log.child({ jobId: job.id, repository: job.repository, issue: job.issueNumber });
  let stage: Stage | undefined;
  const beat = () => {
    if (!jobs.heartbeat(job.id, workerId, stage)) abort.abort(new Error("cancelled"));
  };
  const heartbeat = setInterval(beat, options.heartbeatMs ?? 10_000);
  let status: ReturnType<typeof statusWriter> | undefined;
  let view: StatusView = emptyStatus({ tokens: 0, dollars: 0 });
  try {
    log.info({ attempt: job.attempts }, "job started");
    const context = await options.contextFor(job);
    status = statusWriter(context.edge.forge, job.issueNumber, log);
    const config = await context.loadConfig();
    const { limits, pullRequest, protectedPaths } = config;
    view = emptyStatus({ tokens: limits.maxTokensPerRun, dollars: limits.maxDollarsPerRun });
    status.show(view);
    const request = {
      jobId: job.id,
      repository: job.repository,
      issueNumber: job.issueNumber,
      triggeredBy: job.triggeredBy,
    };
    const services: RunServices = {
      signal: abort.signal,
      config,
      repository: () => context.edge.forge.repositoryInfo(),
      token: () => context.edge.token(),
      roleOf: (login) => context.edge.forge.permissionOf(login),
      readIssue: (issueNumber) => context.edge.forge.readIssue(issueNumber),
      log,
    };
    const report = await options.pipeline(request, services, (progress) => {
      stage = progress.stage;
      beat();
      view = withProgress(view, progress);
      status?.show(view);
    });
    abort.signal.throwIfAborted();
    view = withReport(view, report);
    const { defaultBranch } = await context.edge.forge.repositoryInfo();
    const plan = planPublication(report, {
      issueNumber: job.issueNumber,
      defaultBranch,
      triggeredBy: job.triggeredBy,
      branchPrefix: pullRequest.branchPrefix,
      draft: pullRequest.draft,
      protectedPaths,
      budgetDollars: limits.maxDollarsPerRun,
    });
    abort.signal.throwIfAborted();
    const result = await applyPlan(plan, context.edge);
    view = {
      ...view,
      state: result.state,
      message: result.message,
      ...(result.state === "done" ? { pullRequestUrl: result.pullRequest.url } : {}),
    };
    status.show(view);
    await status.flush();
    const outcome = result.state === "done" ? "done" : "abstained";
    jobs.finish(job.id, workerId, outcome, result.state === "done" ? undefined : firstLine(result.message));
    log.info({ outcome: result.state }, "job finished");
  } catch (error) {
    await settle(job, error, abort, view, status, options, log);
  } finally {
    clearInterval(heartbeat);
  }
}

async function settle(
  job: Job,
  error: unknown,
  abort: AbortController,
  view: StatusView,
  status: ReturnType<typeof statusWriter> | undefined,
  options: RunOptions,
  log: Logger,
): Promise<void> {
  const lostItsPoint = cancellationReason(error);
  if (lostItsPoint !== undefined) options.jobs.finish(job.id, options.workerId, "cancelled", lostItsPoint);
  const current = options.jobs.get(job.id);
  if (current?.state === "cancelled") {
    log.info({ reason: current.reason }, "job cancelled");
    status?.show({ ...view, state: "cancelled", message: `Stopped: ${current.reason ?? "cancelled"}.` });
    await status?.flush();
    return;
  }
  if (abort.signal.aborted && (abort.signal.reason as Error | undefined)?.message === SHUTDOWN) {
    log.info("job interrupted by shutdown; it will be resumed after the restart");
    return;
  }
  log.error({ err: error, code: error instanceof AutofixError ? error.code : undefined }, "job failed");
  status?.show({ ...view, state: "failed", message: failureMessage(error) });
  await status?.flush();
  options.jobs.finish(job.id, options.workerId, "failed", firstLine(describeError(error)));
}

/**
 * Cancel this job alone: a retry queued for the same issue keeps its turn (it checks the issue and the
 * branch again when it runs). `finish` records any final state, `cancelled` included; its type says
 * so once FinalOutcome lists `cancelled` (src/jobs/job-store.ts) — until then the method's
 * parameter is widened here, where TypeScript checks method parameters bivariantly.
 */
function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
