import { z } from "zod";
import { AutofixError } from "../errors.ts";

const envSchema = z.object({
  AUTOFIX_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  AUTOFIX_JOBS_PER_INSTALLATION: z.coerce.number().int().min(1).max(1_000).default(2),
  AUTOFIX_JOBS_PER_REPOSITORY: z.coerce.number().int().min(1).max(1_000).default(1),
  AUTOFIX_JOB_STALE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(120_000),
  AUTOFIX_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
});

export type WorkerSettings = {
  concurrency: number;
  limits: { perInstallation: number; perRepository: number };
  staleAfterMs: number;
  heartbeatMs: number;
  maxAttempts: number;
};

/** The worker's tuning from the environment; an unusable value is an AutofixError naming the variable. */
export function readWorkerSettings(env: NodeJS.ProcessEnv): WorkerSettings {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new AutofixError("worker_env_invalid", `invalid environment: ${problems.join("; ")}`, {
      hint: "fix the variable in the environment or in .env (see docs/app.md)",
      context: { problems },
    });
  }
  const e = parsed.data;
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
