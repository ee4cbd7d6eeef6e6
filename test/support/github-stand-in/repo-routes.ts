import type { IssueComment, PullRequest, StandInState, User } from "./state.ts";

export type Reply = { status: number; body: unknown };
export type RepoRequest = {
  operationId: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Already validated against the operation's requestBody schema. */
  body: unknown;
  accept: string;
};

const notFound: Reply = { status: 404, body: { message: "Not Found" } };

/** The repository endpoints the App uses, by OpenAPI operationId, answered from `state`. */
export function handleRepoOperation(state: StandInState, bot: User, request: RepoRequest): Reply {
  const { operationId, params, query } = request;
  const repository = `${params.owner}/${params.repo}`;
  const issue = `${repository}#${params.issue_number}`;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const now = new Date().toISOString();
  switch (operationId) {
    case "repos/get-content":
      return content(state, repository, params.path ?? "", request.accept);
    case "repos/get-collaborator-permission-level": {
      const role = state.permissions.get(`${repository}:${params.username}`);
      if (role === undefined) return { status: 404, body: { message: `${params.username} is not a user` } };
      const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return { status: 200, body: { permission, role_name: role, user: { login: params.username } } };
    }
    case "reactions/list-for-issue": {
      const wanted = query.get("content");
      return ok(state.listOf(state.reactions, issue).filter((r) => wanted === null || r.content === wanted));
    }
    case "reactions/create-for-issue": {
      const list = state.listOf(state.reactions, issue);
      // Like GitHub: the same reaction by the same user again answers 200 with the existing one.
      const existing = list.find((r) => r.content === body.content && r.user.login === bot.login);
      if (existing) return ok(existing);
      const reaction = { id: state.nextId(), content: String(body.content), user: bot, created_at: now };
      list.push(reaction);
      return { status: 201, body: reaction };
    }
    case "issues/get": {
      const found = state.issues.get(issue);
      if (found === undefined) return notFound;
      const number = Number(params.issue_number);
      return ok({ id: number, number, comments: state.listOf(state.comments, issue).length, ...found });
    }
    case "reactions/create-for-issue-comment": {
      const list = state.listOf(state.commentReactions, Number(params.comment_id));
      // Like GitHub: the same reaction by the same user again answers 200 with the existing one.
      const existing = list.find((r) => r.content === body.content && r.user.login === bot.login);
      if (existing) return ok(existing);
      const reaction = { id: state.nextId(), content: String(body.content), user: bot, created_at: now };
      list.push(reaction);
      return { status: 201, body: reaction };
    }
    case "issues/list-comments":
      return ok(state.listOf(state.comments, issue));
    case "issues/create-comment": {
      const comment: IssueComment = {
        id: state.nextId(),
        body: String(body.body),
        user: bot,
        created_at: now,
        updated_at: now,
      };
      state.listOf(state.comments, issue).push(comment);
      return { status: 201, body: comment };
    }
    case "issues/update-comment": {
      for (const [key, list] of state.comments) {
        const comment = list.find((c) => c.id === Number(params.comment_id));
        if (comment === undefined || !key.startsWith(`${repository}#`)) continue;
        if (comment.user.login !== bot.login)
          return { status: 403, body: { message: "not the App's comment" } };
        Object.assign(comment, { body: String(body.body), updated_at: now });
        return ok(comment);
      }
      return notFound;
    }
    case "pulls/list":
      return ok(
        state.listOf(state.pulls, repository).filter((p) => matchesPullQuery(p, query, params.owner ?? "")),
      );
    case "pulls/create":
      return createPull(state, bot, repository, body);
    case "pulls/update": {
      const pull = state.listOf(state.pulls, repository).find((p) => p.number === Number(params.pull_number));
      if (pull === undefined) return notFound;
      if (typeof body.title === "string") pull.title = body.title;
      if (typeof body.body === "string") pull.body = body.body;
      return ok(pull);
    }
    case "pulls/request-reviewers": {
      const pull = state.listOf(state.pulls, repository).find((p) => p.number === Number(params.pull_number));
      if (pull === undefined) return notFound;
      for (const login of (body.reviewers as string[] | undefined) ?? []) {
        if (!state.permissions.has(`${repository}:${login}`)) {
          return { status: 422, body: { message: "Reviews may only be requested from collaborators." } };
        }
        if (!pull.requested_reviewers.some((u) => u.login === login)) {
          pull.requested_reviewers.push({ login, id: state.nextId(), type: "User" });
        }
      }
      return { status: 201, body: pull };
    }
    case "repos/get": {
      const repo = state.repositories.get(repository);
      if (repo === undefined) return notFound;
      return ok({
        full_name: repository,
        name: params.repo,
        owner: { login: params.owner },
        private: false,
        ...repo,
      });
    }
    case "git/get-ref": {
      const sha = state.refs.get(`${repository}:${params.ref}`);
      return sha === undefined
        ? notFound
        : ok({ ref: `refs/${params.ref}`, object: { sha, type: "commit" } });
    }
    case "git/create-ref": {
      const ref = String(body.ref).replace(/^refs\//, "");
      if (state.refs.has(`${repository}:${ref}`))
        return { status: 422, body: { message: "Reference already exists" } };
      state.refs.set(`${repository}:${ref}`, String(body.sha));
      return { status: 201, body: { ref: `refs/${ref}`, object: { sha: body.sha, type: "commit" } } };
    }
    case "git/update-ref": {
      const key = `${repository}:${params.ref}`;
      if (!state.refs.has(key)) return { status: 422, body: { message: "Reference does not exist" } };
      state.refs.set(key, String(body.sha));
      return ok({ ref: `refs/${params.ref}`, object: { sha: body.sha, type: "commit" } });
    }
    default:
      return { status: 501, body: { message: `the stand-in does not implement ${operationId}` } };
  }
}

function content(state: StandInState, repository: string, path: string, accept: string): Reply {
  const text = state.files.get(`${repository}:${path}`);
  if (text === undefined) return notFound;
  if (accept.includes(".raw")) return { status: 200, body: text };
  const bytes = Buffer.from(text, "utf8");
  const name = path.split("/").pop();
  return ok({
    type: "file",
    encoding: "base64",
    size: bytes.length,
    name,
    path,
    content: bytes.toString("base64"),
  });
}

function matchesPullQuery(pull: PullRequest, query: URLSearchParams, owner: string): boolean {
  const state = query.get("state") ?? "open";
  if (state !== "all" && pull.state !== state) return false;
  const head = query.get("head");
  return head === null || head === `${owner}:${pull.head.ref}`;
}

function createPull(
  state: StandInState,
  bot: User,
  repository: string,
  body: Record<string, unknown>,
): Reply {
  const head = String(body.head).replace(/^[^:]+:/, "");
  const sha = state.branchHead?.(repository, head) ?? state.refs.get(`${repository}:heads/${head}`);
  if (sha === undefined) return { status: 422, body: { message: `head ${head} does not exist` } };
  const list = state.listOf(state.pulls, repository);
  if (list.some((p) => p.state === "open" && p.head.ref === head)) {
    return { status: 422, body: { message: `A pull request already exists for ${head}.` } };
  }
  const number = list.length + 1000;
  const pull: PullRequest = {
    id: state.nextId(),
    number,
    html_url: `https://github.example.test/${repository}/pull/${number}`,
    requested_reviewers: [],
    title: String(body.title ?? ""),
    body: typeof body.body === "string" ? body.body : null,
    draft: body.draft === true,
    state: "open",
    head: { ref: head, sha },
    base: { ref: String(body.base) },
    user: bot,
  };
  list.push(pull);
  return { status: 201, body: pull };
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}
