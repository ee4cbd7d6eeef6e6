import { type Environment, type EnvironmentVariable, problemsWith } from "../config/environment.ts";
import { AutofixError } from "../errors.ts";

const WORKER_VARIABLES = [
  "AUTOFIX_WORKER_CONCURRENCY",
  "AUTOFIX_JOBS_PER_INSTALLATION",
  "AUTOFIX_JOBS_PER_REPOSITORY",
  "AUTOFIX_JOB_STALE_MS",
  "AUTOFIX_JOB_MAX_ATTEMPTS",
] as const satisfies readonly EnvironmentVariable[];

export type WorkerSettings = {
  concurrency: number;
  limits: { perInstallation: number; perRepository: number };
  staleAfterMs: number;
  heartbeatMs: number;
  maxAttempts: number;
};

/** The worker's tuning from the environment; an unusable value is an AutofixError naming the variable. */
export function readWorkerSettings(environment: Environment): WorkerSettings {
  const problems = problemsWith(environment, WORKER_VARIABLES).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > 0) {
    throw new AutofixError("worker_env_invalid", `invalid environment: ${problems.join("; ")}`, {
      hint: "fix the variable in the environment or in .env (see docs/app.md)",
      context: { problems },
    });
  }
  const e = environment.values;
  return {
    concurrency: e.AUTOFIX_WORKER_CONCURRENCY,
    limits: {
      perInstallation: e.AUTOFIX_JOBS_PER_INSTALLATION,
      perRepository: e.AUTOFIX_JOBS_PER_REPOSITORY,
    },
    staleAfterMs: e.AUTOFIX_JOB_STALE_MS,
    // Several heartbeats fit in the stale window, so one slow beat does not orphan a live job.
    heartbeatMs: Math.min(5_000, Math.floor(e.AUTOFIX_JOB_STALE_MS / 4)),
    maxAttempts: e.AUTOFIX_JOB_MAX_ATTEMPTS,
  };
}

/**
 * `AUTOFIX_WORKER=off` receives webhooks and queues jobs without running any (another process sharing
 * the job database runs them, or they wait for a restart with the worker on); `on` is the default.
 */
export function workerEnabled(environment: Environment): boolean {
  const [problem] = problemsWith(environment, ["AUTOFIX_WORKER"]);
  if (problem !== undefined) {
    const value = problem.value.trim().toLowerCase();
    throw new AutofixError("worker_env_invalid", `AUTOFIX_WORKER=${value} is neither on nor off`, {
      hint: "set AUTOFIX_WORKER=off to queue jobs without running them, or leave it unset",
    });
  }
  return environment.values.AUTOFIX_WORKER !== "off";
}

/**
 * `AUTOFIX_DISPATCH=off` records webhook deliveries without deciding them (another process sharing the
 * job database dispatches them, or they wait for a restart with dispatching on); `on` is the default.
 */
export function dispatchEnabled(environment: Environment): boolean {
  const [problem] = problemsWith(environment, ["AUTOFIX_DISPATCH"]);
  if (problem !== undefined) {
    const value = problem.value.trim().toLowerCase();
    throw new AutofixError("worker_env_invalid", `AUTOFIX_DISPATCH=${value} is neither on nor off`, {
      hint: "set AUTOFIX_DISPATCH=off to record deliveries without deciding them, or leave it unset",
    });
  }
  return environment.values.AUTOFIX_DISPATCH !== "off";
}
