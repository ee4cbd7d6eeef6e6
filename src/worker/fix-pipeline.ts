import type { Logger } from "pino";
import type { AutofixConfig } from "../config/schema.ts";
import type { Report } from "../contract/report.ts";
import { isAutofixError } from "../errors.ts";
import type { Ledger } from "../llm/ledger.ts";
import type { Llm } from "../llm/llm.ts";
import type { FixInput, FixServices } from "../pipeline/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { SnapshotCache } from "../workspace/snapshot-cache.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { IssueTextBuilder } from "./issue-thread.ts";
import { JobCancelledError } from "./job-errors.ts";
import type { RunPipeline } from "./pipeline.ts";

export type RunFix = (input: FixInput, services: FixServices) => Promise<Report>;

/** Everything the real pipeline is built from; each part is injected so tests can replace it. */
export type FixPipelineParts = {
  runFix: RunFix;
  workspace: Workspace;
  issueText: IssueTextBuilder;
  /** The sandbox (connected on first use). */
  sandbox: () => Promise<Sandbox>;
  /**
   * A metered model and a fresh ledger for one run. Throws an AutofixError when the operator has not
   * configured an endpoint — the job then fails with that message, the App keeps running.
   */
  model: (config: AutofixConfig) => { llm: Llm; ledger: Ledger };
  /** Parse-result cache of the code index. */
  cacheRoot?: string;
  /** The workspace's snapshot cache: the run holds its snapshot, and the cache is trimmed after it. */
  snapshots?: SnapshotCache;
};

/**
 * The real RunPipeline: read the issue, materialize the default branch's head (through `clone_url`,
 * the token in git's HTTP header only), run `runFix` in the sandbox with a metered model, and return
 * its report with the issue it was about. The token goes to git and the GitHub API, nowhere else:
 * not into FixInput, the sandbox, a prompt or a log.
 */
export function fixPipeline(parts: FixPipelineParts): RunPipeline {
  return async (request, services, onProgress) => {
    const { signal, config, log } = services;
    const { llm, ledger } = parts.model(config);
    const token = await services.token();
    const thread = await services.readIssue(request.issueNumber);
    if (thread.state === "closed") throw new JobCancelledError("the issue was closed");
    const issue = await parts.issueText(thread, services.roleOf);
    const { cloneUrl, defaultBranch } = await services.repository();
    signal.throwIfAborted();
    const materialize = () =>
      parts.workspace
        .materialize({ kind: "remote", url: cloneUrl }, { commit: defaultBranch, token, signal })
        .catch((error: unknown) => {
          if (isAutofixError(error) && error.code === "workspace.commit_not_found") {
            throw new JobCancelledError(`the branch \`${defaultBranch}\` no longer exists`);
          }
          throw error;
        });
    const { snapshot, release } =
      parts.snapshots === undefined
        ? { snapshot: await materialize(), release: () => {} }
        : await parts.snapshots.materialize(materialize);
    try {
      const sandbox = await parts.sandbox();
      signal.throwIfAborted();
      const report = await parts.runFix(
        { repo: { root: snapshot.root, key: snapshot.repoKey, commit: snapshot.commit }, issue, config },
        {
          llm,
          ledger,
          sandbox,
          signal,
          onProgress,
          ...(parts.cacheRoot === undefined ? {} : { cacheRoot: parts.cacheRoot }),
          ...(log === undefined ? {} : { log: (message: string) => log.info(message) }),
        },
      );
      signal.throwIfAborted();
      // Closed while the pipeline ran, and the close event was missed (e.g. the App was restarting).
      const now = await services.readIssue(request.issueNumber);
      if (now.state === "closed")
        throw new JobCancelledError("the issue was closed while autofix worked on it");
      return {
        ...report,
        reason: withoutRoot(report.reason, snapshot.root),
        issue: { number: request.issueNumber, title: thread.title },
      };
    } finally {
      release();
      if (parts.snapshots !== undefined) await trimCache(parts.snapshots, log);
    }
  };
}

/** `No tests found in /cache/snapshots/…/abc: …` → `No tests found in the repository: …`. */
function withoutRoot(text: string, root: string): string {
  if (root === "") return text;
  return text.replaceAll(`${root}/`, "").replaceAll(root, "the repository");
}

/** Trimming the cache is housekeeping: a failure is logged, never the job's. */
async function trimCache(snapshots: SnapshotCache, log: Logger | undefined): Promise<void> {
  try {
    const { removed, kept } = await snapshots.evict();
    if (removed.length > 0) log?.info({ removed: removed.length, kept }, "evicted cached snapshots");
  } catch (error) {
    log?.warn({ err: error }, "could not trim the snapshot cache");
  }
}
