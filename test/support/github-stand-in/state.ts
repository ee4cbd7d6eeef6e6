/** The in-memory GitHub the stand-in serves: what tests arrange and inspect. */
export type User = { login: string; id: number; type: "User" | "Bot" };
export type Reaction = { id: number; content: string; user: User; created_at: string };
export type IssueComment = { id: number; body: string; user: User; created_at: string; updated_at: string };
export type PullRequest = {
  id: number;
  number: number;
  title: string;
  body: string | null;
  draft: boolean;
  state: "open" | "closed";
  html_url: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  user: User;
  requested_reviewers: User[];
};
export type Issue = {
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: User;
  author_association: string;
};
export type Repository = { clone_url: string; default_branch: string };
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export class StandInState {
  /** `owner/repo:path` → file text. */
  readonly files = new Map<string, string>();
  /** `owner/repo#number` → the issue (`GET /repos/{owner}/{repo}/issues/{n}`; 404 when absent). */
  readonly issues = new Map<string, Issue>();
  /** `owner/repo#number` → reactions, comments. */
  readonly reactions = new Map<string, Reaction[]>();
  readonly comments = new Map<string, IssueComment[]>();
  /** comment id → reactions on that issue comment. */
  readonly commentReactions = new Map<number, Reaction[]>();
  /** `owner/repo` → pull requests; `owner/repo:heads/x` → sha. */
  readonly pulls = new Map<string, PullRequest[]>();
  readonly refs = new Map<string, string>();
  /** `owner/repo:login` → permission; a login not listed is not a collaborator (404). */
  readonly permissions = new Map<string, Permission>();
  /** `owner/repo` → what `GET /repos/{owner}/{repo}` answers (clone_url may point at a git server). */
  readonly repositories = new Map<string, Repository>();
  /** `owner/repo:branch` → head sha, asked of the git server when set (pull requests need their head). */
  branchHead: ((repository: string, branch: string) => string | undefined) | undefined;
  #nextId = 5000;

  nextId(): number {
    return this.#nextId++;
  }

  listOf<K, T>(map: Map<K, T[]>, key: K): T[] {
    let list = map.get(key);
    if (list === undefined) {
      list = [];
      map.set(key, list);
    }
    return list;
  }
}
