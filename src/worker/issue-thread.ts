import { Octokit } from "@octokit/rest";
import { AutofixError } from "../errors.ts";
import type { RepoRole } from "../forge/forge.ts";
import type { IssueText } from "../localize/types.ts";
import { issueForPrompt } from "./issue-input.ts";

/**
 * The issue as GitHub has it when the job runs: what the pipeline is asked to fix. Read with the
 * installation token. (The Forge interface has no issue reader yet; when it gains one, this adapter
 * can be replaced by it — the fix pipeline only sees the `IssueReader` type.)
 */
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

export type IssueReader = (request: {
  repository: string;
  issueNumber: number;
  token: string;
}) => Promise<IssueThread>;

/** The REST reader; `apiUrl` is api.github.com or `<GHE>/api/v3`. */
export function restIssueReader(apiUrl: string): IssueReader {
  return async ({ repository, issueNumber, token }) => {
    const [owner, repo] = repository.split("/");
    if (owner === undefined || repo === undefined) throw new Error(`bad repository name ${repository}`);
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const octokit = new Octokit({ baseUrl: apiUrl, auth: token, log: quiet });
    const params = { owner, repo, issue_number: issueNumber };
    try {
      const { data: issue } = await octokit.rest.issues.get(params);
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...params, per_page: 100 });
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
  };
}

/** Turns the thread into the pipeline's issue text; `roleOf` asks GitHub for a person's role. */
export type IssueTextBuilder = (
  thread: IssueThread,
  roleOf: (login: string) => Promise<RepoRole>,
) => Promise<IssueText>;

/**
 * The trust rails of src/worker/issue-input.ts applied to the thread: hidden text stripped, text by
 * people without write access fenced (the issue) or left out (comments, and every bot's), long text
 * cut with a notice. Roles come from the collaborator permission API, asked once per person.
 */
export const trustedIssueText: IssueTextBuilder = async (thread, roleOf) => {
  const roles = new Map<string, Promise<RepoRole>>();
  const role = (login: string, isBot: boolean): Promise<RepoRole> => {
    if (isBot) return Promise.resolve("none");
    let known = roles.get(login);
    if (known === undefined) {
      known = roleOf(login);
      roles.set(login, known);
    }
    return known;
  };
  const author = { login: thread.author, role: await role(thread.author, false) };
  const comments = await Promise.all(
    thread.comments.map(async (c) => ({
      body: c.body,
      author: { login: c.author, role: await role(c.author, c.isBot), isBot: c.isBot },
    })),
  );
  const prompt = issueForPrompt({ title: thread.title, body: thread.body, author }, comments);
  return { title: prompt.title, body: prompt.body };
};
