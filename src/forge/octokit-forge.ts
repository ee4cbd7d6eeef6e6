import type { Context, ProbotOctokit } from "probot";
import { AutofixError } from "../errors.ts";
import {
  type CommentOutcome,
  type ConfigRead,
  type ConfigSource,
  type EnsureOutcome,
  type Forge,
  ForgeError,
  type IssueThread,
  type PullRequestOutcome,
  type PullRequestRequest,
  REPO_ROLES,
  type ReactionContent,
  type RepoRole,
  type RepositoryInfo,
  statusOf,
} from "./forge.ts";
import { mergeConfigLayers } from "./merge-config.ts";

/** The installation-authenticated client Probot hands each event (it carries the config plugin). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export type OctokitForgeOptions = {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The App's own login, `<app-slug>[bot]`: only its reactions and comments count as "ours". */
  botLogin: string;
  /** Path of the config file inside `.github/`. */
  configFile?: string;
};

/** The real Forge for the repository a Probot event came from. */
export function forgeFromContext(context: Context, botLogin: string): Forge {
  const { owner, repo } = context.repo();
  return octokitForge({ octokit: context.octokit, owner, repo, botLogin });
}

export function octokitForge(options: OctokitForgeOptions): Forge {
  const { octokit, owner, repo, botLogin } = options;
  const configPath = `.github/${options.configFile ?? "autofix.yml"}`;
  const repository = `${owner}/${repo}`;

  async function call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new ForgeError(operation, error, { repository });
    }
  }

  /**
   * Creating a comment is not idempotent: GitHub may store it and still answer 5xx, and a blind retry
   * would post it twice. So the first try goes without retries; after a 5xx the comments are listed
   * again and the App's comment, if it landed, is used; otherwise it is posted once more.
   */
  async function createOnce(
    params: { owner: string; repo: string; issue_number: number },
    marker: string,
    body: string,
  ): Promise<number> {
    try {
      const created = await octokit.rest.issues.createComment({ ...params, body, request: { retries: 0 } });
      return created.data.id;
    } catch (error) {
      const status = statusOf(error);
      if (status === undefined || status < 500)
        throw new ForgeError("comment on the issue", error, { repository });
    }
    const landed = await findOurs(params.issue_number, marker);
    if (landed !== undefined) return landed.id;
    const created = await call("comment on the issue", () =>
      octokit.rest.issues.createComment({ ...params, body }),
    );
    return created.data.id;
  }

  /** The App's own comment carrying `marker` (a person quoting the marker does not count). */
  async function findOurs(issueNumber: number, marker: string) {
    const comments = await call("list the issue's comments", () =>
      octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issueNumber,
        per_page: 100,
      }),
    );
    return comments.find(
      (comment) => comment.user?.login === botLogin && (comment.body ?? "").includes(marker),
    );
  }

  return {
    repository,

    async readConfig(): Promise<ConfigRead> {
      // The same plugin call as Probot's `context.config()`, which resolves `_extends` and falls back to
      // the owner's `.github` repository; called directly to learn which files were read.
      try {
        const { config, files } = await octokit.config.get({
          owner,
          repo,
          path: configPath,
          defaults: (layers) => ({ value: mergeConfigLayers(layers) }),
        });
        const sources: ConfigSource[] = files.map((file) => ({
          repository: `${file.owner}/${file.repo}`,
          path: file.path,
          found: file.config !== null,
        }));
        const found = sources.some((source) => source.found);
        return { kind: "read", value: found ? config.value : null, sources };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // The plugin throws plain Errors with this prefix for files it cannot use as a config.
        if (message.startsWith("[@probot/octokit-plugin-config]")) {
          return {
            kind: "unreadable",
            message: message.replace("[@probot/octokit-plugin-config] ", ""),
            sources: [{ repository, path: configPath, found: true }],
          };
        }
        throw new ForgeError(`read ${configPath}`, error, { repository });
      }
    },

    async ensureReaction(issueNumber: number, content: ReactionContent): Promise<EnsureOutcome> {
      const params = { owner, repo, issue_number: issueNumber };
      const reactions = await call("list the issue's reactions", () =>
        octokit.paginate(octokit.rest.reactions.listForIssue, { ...params, content, per_page: 100 }),
      );
      if (reactions.some((reaction) => reaction.user?.login === botLogin && reaction.content === content)) {
        return "existing";
      }
      await call(`add a ${content} reaction`, () =>
        octokit.rest.reactions.createForIssue({ ...params, content }),
      );
      return "created";
    },

    async ensureComment(issueNumber: number, marker: string, body: string): Promise<CommentOutcome> {
      const fullBody = body.includes(marker) ? body : `${marker}\n${body}`;
      const params = { owner, repo, issue_number: issueNumber };
      const ours = await findOurs(issueNumber, marker);
      if (ours === undefined) return { id: await createOnce(params, marker, fullBody), outcome: "created" };
      if (ours.body === fullBody) return { id: ours.id, outcome: "unchanged" };
      await call("edit the App's comment", () =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body: fullBody }),
      );
      return { id: ours.id, outcome: "updated" };
    },

    async updateCommentIfPresent(issueNumber: number, marker: string, body: string) {
      const fullBody = body.includes(marker) ? body : `${marker}\n${body}`;
      const ours = await findOurs(issueNumber, marker);
      if (ours === undefined) return "absent";
      if (ours.body === fullBody) return "unchanged";
      await call("edit the App's comment", () =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body: fullBody }),
      );
      return "updated";
    },

    async permissionOf(login: string): Promise<RepoRole> {
      let data: { permission: string; role_name?: string };
      try {
        ({ data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner,
          repo,
          username: login,
        }));
      } catch (error) {
        if (statusOf(error) === 404) return "none"; // not a collaborator (or no such user)
        throw new ForgeError(`ask for ${login}'s permission`, error, { repository, login });
      }
      // Custom repository roles carry their own name; their base permission is in `permission`.
      return (
        REPO_ROLES.find((role) => role === data.role_name) ??
        REPO_ROLES.find((role) => role === data.permission) ??
        "none"
      );
    },

    async repositoryInfo(): Promise<RepositoryInfo> {
      const { data } = await call("read the repository", () => octokit.rest.repos.get({ owner, repo }));
      return { cloneUrl: data.clone_url, defaultBranch: data.default_branch };
    },

    async ensurePullRequest(request: PullRequestRequest): Promise<PullRequestOutcome> {
      const open = await call("list the branch's pull requests", () =>
        octokit.rest.pulls.list({
          owner,
          repo,
          head: `${owner}:${request.head}`,
          state: "open",
          per_page: 10,
        }),
      );
      const existing = open.data[0];
      if (existing !== undefined) {
        await call("update the pull request", () =>
          octokit.rest.pulls.update({
            owner,
            repo,
            pull_number: existing.number,
            title: request.title,
            body: request.body,
          }),
        );
        return { number: existing.number, url: existing.html_url, outcome: "updated" };
      }
      const { data } = await call("open a pull request", () =>
        octokit.rest.pulls.create({
          owner,
          repo,
          head: request.head,
          base: request.base,
          title: request.title,
          body: request.body,
          draft: request.draft,
        }),
      );
      return { number: data.number, url: data.html_url, outcome: "created" };
    },

    async requestReview(pullNumber: number, login: string): Promise<boolean> {
      try {
        await octokit.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: pullNumber,
          reviewers: [login],
        });
        return true;
      } catch (error) {
        if (statusOf(error) === 422) return false; // not a collaborator, or the PR's own author
        throw new ForgeError(`request a review from ${login}`, error, { repository, login });
      }
    },

    async reactToComment(commentId: number, content: ReactionContent): Promise<void> {
      await call(`add a ${content} reaction to comment ${commentId}`, () =>
        octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content }),
      );
    },

    async readIssue(issueNumber: number): Promise<IssueThread> {
      const params = { owner, repo, issue_number: issueNumber };
      try {
        const { data: issue } = await octokit.rest.issues.get(params);
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          ...params,
          per_page: 100,
        });
        return {
          number: issueNumber,
          title: issue.title,
          body: issue.body ?? "",
          state: issue.state === "closed" ? "closed" : "open",
          author: issue.user?.login ?? "ghost",
          association: issue.author_association ?? "NONE",
          comments: comments.map((c) => ({
            author: c.user?.login ?? "ghost",
            association: c.author_association ?? "NONE",
            isBot: c.user?.type === "Bot",
            body: c.body ?? "",
          })),
        };
      } catch (error) {
        throw new AutofixError("issue_unreadable", `could not read issue #${issueNumber} of ${repository}`, {
          hint: "check that the App has the Issues (read) permission on this repository",
          context: { repository, issueNumber },
          cause: error,
        });
      }
    },
    async openPullRequestBranches(prefix: string): Promise<string[]> {
      const open = await call("list the open pull requests", () =>
        octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: 100 }),
      );
      // Only branches of this repository (a fork's branch of the same name is not ours); a deleted
      // fork (`repo: null`) counts, erring towards the cap.
      return open
        .filter((pull) => (pull.head.repo?.full_name ?? repository) === repository)
        .map((pull) => pull.head.ref)
        .filter((ref) => ref.startsWith(prefix));
    },
  };
}
