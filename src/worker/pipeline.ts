import type { Logger } from "pino";
import type { AutofixConfig } from "../config/schema.ts";
import type { Progress } from "../contract/progress.ts";
import type { Report } from "../contract/report.ts";
import type { IssueThread, RepoRole, RepositoryInfo } from "../forge/forge.ts";

/**
 * How the worker calls the repair pipeline (localize → reproduce → repair → validate). The pipeline
 * itself is built elsewhere; the worker receives it as a function, so the App, its tests and demos can
 * run any implementation of this type.
 */
export type RunRequest = {
  jobId: number;
  repository: string;
  issueNumber: number;
  triggeredBy: string;
};

export type RunServices = {
  /** Fires when the job is cancelled (unlabel, close, `/autofix stop`) or the App shuts down. */
  signal: AbortSignal;
  /** The repository config, validated, as read at the start of the job. */
  config: AutofixConfig;
  /** Where to clone from and the branch to fix, as GitHub says now. */
  repository(): Promise<RepositoryInfo>;
  /**
   * The installation token: for git's HTTP header and GitHub API calls only — never in a URL, a
   * config file, a log, the sandbox or a prompt.
   */
  token(): Promise<string>;
  /** A person's role on the repository (collaborator permission API): whose issue text is trusted. */
  roleOf(login: string): Promise<RepoRole>;
  /** The issue and its comments, read now (the forge's `readIssue`). */
  readIssue(issueNumber: number): Promise<IssueThread>;
  /** The job's logger (its lines carry the job id, repository and issue). */
  log?: Logger;
};

export type RunPipeline = (
  request: RunRequest,
  services: RunServices,
  onProgress: (progress: Progress) => void,
) => Promise<Report>;
