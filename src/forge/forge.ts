import { AutofixError } from "../errors.ts";

/**
 * Everything autofix asks of GitHub, behind one narrow interface: the App's handlers talk to a Forge,
 * never to Octokit. The real adapter is `octokit-forge.ts`; tests drive it against a fake GitHub.
 * Every write is "ensure"-style so a redelivered webhook does no harm. Later issues add branches,
 * pull requests, permissions and check runs here.
 */
export interface Forge {
  /** The repository the forge is bound to, `owner/name`. */
  readonly repository: string;
  /** The repo config, as Probot's config plugin resolves it (`_extends` included). */
  readConfig(): Promise<ConfigRead>;
  /** Add the App's reaction to an issue unless the App already reacted with it. */
  ensureReaction(issueNumber: number, content: ReactionContent): Promise<EnsureOutcome>;
  /** Keep exactly one App comment carrying `marker` on the issue: create it, or edit it in place. */
  ensureComment(issueNumber: number, marker: string, body: string): Promise<CommentOutcome>;
  /** Edit the App's comment carrying `marker` if there is one; never create it. */
  updateCommentIfPresent(
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<"updated" | "unchanged" | "absent">;
  /**
   * The user's role on the repository, from the collaborator permission API (`role_name`, so
   * `maintain` and `triage` are told apart); `none` for someone who is not a collaborator.
   */
  permissionOf(login: string): Promise<RepoRole>;
  /** Where to clone from, and the branch a pull request targets. */
  repositoryInfo(): Promise<RepositoryInfo>;
  /** Keep exactly one open pull request from `head`: open it, or update its title and body. */
  ensurePullRequest(request: PullRequestRequest): Promise<PullRequestOutcome>;
  /** Ask `login` to review; false when GitHub refuses (e.g. the user cannot review here). */
  requestReview(pullNumber: number, login: string): Promise<boolean>;
  /**
   * React to an issue comment (a command). GitHub answers an existing reaction by the same user with
   * that reaction, so reacting again (a redelivery) adds nothing.
   */
  reactToComment(commentId: number, content: ReactionContent): Promise<void>;
  /** Head branches of the repository's open pull requests whose name starts with `prefix` (caps). */
  openPullRequestBranches(prefix: string): Promise<string[]>;
  /** The issue and its comments as GitHub has them now: what a run is asked to fix. */
  readIssue(issueNumber: number): Promise<IssueThread>;
}

export type IssueComment = { author: string; association: string; isBot: boolean; body: string };
export type IssueThread = {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  author: string;
  association: string;
  comments: IssueComment[];
};

export type RepositoryInfo = { cloneUrl: string; defaultBranch: string };
export type PullRequestRequest = { head: string; base: string; title: string; body: string; draft: boolean };
export type PullRequestOutcome = { number: number; url: string; outcome: "created" | "updated" };

export const REPO_ROLES = ["admin", "maintain", "write", "triage", "read", "none"] as const;
export type RepoRole = (typeof REPO_ROLES)[number];

/** Only people who could push the fix themselves may start or stop a run. */
export function canTrigger(role: RepoRole): boolean {
  return role === "admin" || role === "maintain" || role === "write";
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export type EnsureOutcome = "created" | "existing";
export type CommentOutcome = { id: number; outcome: "created" | "updated" | "unchanged" };

/** One config file the plugin looked at, nearest first (the repo's own, then `_extends` targets). */
export type ConfigSource = { repository: string; path: string; found: boolean };

export type ConfigRead =
  | { kind: "read"; value: unknown; sources: ConfigSource[] }
  /** The file exists but could not be used as a config at all (YAML syntax, a bad `_extends`). */
  | { kind: "unreadable"; message: string; sources: ConfigSource[] };

/** A GitHub request failed for a reason other than the ones a method handles itself. */
export class ForgeError extends AutofixError {
  constructor(operation: string, cause: unknown, context: Record<string, unknown> = {}) {
    const status = statusOf(cause);
    super(
      "forge_request_failed",
      `GitHub request failed while trying to ${operation}${status === undefined ? "" : ` (HTTP ${status})`}: ${messageOf(cause)}`,
      {
        hint: hintFor(status),
        context: { ...context, operation, ...(status === undefined ? {} : { status }) },
        cause,
      },
    );
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hintFor(status: number | undefined): string {
  if (status === 401) return "check APP_ID and the private key: GitHub rejected the App's credentials";
  if (status === 403 || status === 404) {
    return "check that the App is installed on this repository with the permissions in app.yml";
  }
  return "GitHub may be unavailable; the delivery can be redelivered from the App's advanced settings";
}
