/**
 * A FAKE GitHub REST API, served through Octokit's `request.fetch`. It exists because GitHub is
 * unreachable from the machines these tests run on. It answers only the endpoints the App uses
 * today, the way GitHub documents them (installation tokens, `GET /app`, file contents as raw text or
 * base64 JSON, issues, issue reactions and comments, comment reactions, collaborator permission, the list of
 * open pull requests), records every request, and answers anything else with 404 so an unexpected call
 * shows up in `unhandled`.
 */

export type RecordedRequest = {
  method: string;
  /** Path below the API root, decoded: `/repos/o/r/contents/.github/autofix.yml`. */
  path: string;
  query: URLSearchParams;
  url: URL;
  headers: Headers;
  body: unknown;
};

type User = { login: string; id: number; type: "User" | "Bot" };
export type FakeReaction = { id: number; content: string; user: User };
export type FakeComment = { id: number; body: string; user: User; created_at: string; updated_at: string };
export type FakeIssue = { title: string; body: string; state: "open" | "closed"; user: User };
export type FakePull = {
  number: number;
  state: "open" | "closed";
  head: { ref: string; repo: { full_name: string } | null };
};

export class FakeGitHub {
  readonly appSlug: string;
  readonly apiRoot: URL;
  readonly requests: RecordedRequest[] = [];
  readonly unhandled: RecordedRequest[] = [];
  /** `owner/repo:path` → file text. */
  readonly files = new Map<string, string>();
  /** `owner/repo#number` → reactions / comments on that issue. */
  readonly reactions = new Map<string, FakeReaction[]>();
  readonly comments = new Map<string, FakeComment[]>();
  /** `owner/repo#number` → the issue itself (`GET /repos/{owner}/{repo}/issues/{number}`). */
  readonly issues = new Map<string, FakeIssue>();
  /** comment id → reactions on that comment. */
  readonly commentReactions = new Map<number, FakeReaction[]>();
  /** `owner/repo` → pull requests (`GET /repos/{owner}/{repo}/pulls` lists them). */
  readonly pulls = new Map<string, FakePull[]>();
  /** `owner/repo:login` → role (`write`, `read`, …); a login not listed is not a collaborator (404). */
  readonly permissions = new Map<string, string>();
  #nextId = 1000;

  constructor(options: { apiRoot: string; appSlug?: string }) {
    this.apiRoot = new URL(options.apiRoot.endsWith("/") ? options.apiRoot : `${options.apiRoot}/`);
    this.appSlug = options.appSlug ?? "autofix-test";
  }

  get botUser(): User {
    return { login: `${this.appSlug}[bot]`, id: 9000, type: "Bot" };
  }

  setFile(repository: string, path: string, text: string): void {
    this.files.set(`${repository}:${path}`, text);
  }

  addReaction(issue: string, content: string, user: User): void {
    this.listOf(this.reactions, issue).push({ id: this.#nextId++, content, user });
  }

  /** Requests that change something (anything but GET). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      path: decodeURIComponent(url.pathname.slice(this.apiRoot.pathname.length - 1)),
      query: url.searchParams,
      url,
      headers: request.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    this.requests.push(recorded);
    if (url.origin !== this.apiRoot.origin || !url.pathname.startsWith(this.apiRoot.pathname)) {
      return this.miss(recorded);
    }
    if (!request.headers.get("authorization")) return json(401, { message: "Requires authentication" });
    return this.route(recorded);
  };

  private route(r: RecordedRequest): Response {
    const { method, path } = r;
    let m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === "POST" && m) {
      return json(201, {
        token: `ghs_fake_installation_token_${m[1]}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: { issues: "write", contents: "write" },
        repository_selection: "all",
      });
    }
    if (method === "GET" && path === "/app")
      return json(200, { id: 1, slug: this.appSlug, name: this.appSlug });

    m = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(path);
    if (method === "GET" && m) {
      const role = this.permissions.get(`${m[1]}/${m[2]}:${m[3]}`);
      if (role === undefined) return json(404, { message: "Not Found" });
      const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return json(200, { permission, role_name: role, user: { login: m[3] } });
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path);
    if (method === "GET" && m) return this.contents(`${m[1]}/${m[2]}`, m[3] ?? "", r.headers);

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(path);
    if (method === "GET" && m) {
      const issue = this.issues.get(`${m[1]}/${m[2]}#${m[3]}`);
      if (issue === undefined) return json(404, { message: "Not Found" });
      return json(200, { number: Number(m[3]), author_association: "NONE", ...issue });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/(reactions|comments)$/.exec(path);
    if (m) {
      const issue = `${m[1]}/${m[2]}#${m[3]}`;
      if (m[4] === "reactions" && method === "GET") {
        const content = r.query.get("content");
        return json(
          200,
          this.listOf(this.reactions, issue).filter((x) => content === null || x.content === content),
        );
      }
      if (m[4] === "reactions" && method === "POST") return this.react(issue, r.body);
      if (m[4] === "comments" && method === "GET") return json(200, this.listOf(this.comments, issue));
      if (m[4] === "comments" && method === "POST") return this.comment(issue, r.body);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (method === "PATCH" && m) return this.editComment(`${m[1]}/${m[2]}`, Number(m[3]), r.body);
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/.exec(path);
    if (method === "POST" && m) return this.reactToComment(Number(m[3]), r.body);
    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(path);
    if (method === "GET" && m) {
      const state = r.query.get("state") ?? "open";
      const list = this.listOf(this.pulls, `${m[1]}/${m[2]}`);
      return json(
        200,
        list.filter((p) => state === "all" || p.state === state),
      );
    }
    return this.miss(r);
  }

  private contents(repository: string, path: string, headers: Headers): Response {
    const text = this.files.get(`${repository}:${path}`);
    if (text === undefined) return json(404, { message: "Not Found" });
    if ((headers.get("accept") ?? "").includes(".raw")) {
      return new Response(text, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    const bytes = Buffer.from(text, "utf8");
    return json(200, {
      type: "file",
      encoding: "base64",
      size: bytes.length,
      name: path.split("/").pop(),
      path,
      content: bytes.toString("base64").replace(/(.{60})/g, "$1\n"),
    });
  }

  private react(issue: string, body: unknown): Response {
    const content = (body as { content?: unknown } | undefined)?.content;
    if (typeof content !== "string") return json(422, { message: "content is required" });
    const list = this.listOf(this.reactions, issue);
    // Like GitHub: reacting twice with the same content returns the existing reaction (200).
    const existing = list.find((x) => x.content === content && x.user.login === this.botUser.login);
    if (existing) return json(200, existing);
    const reaction = { id: this.#nextId++, content, user: this.botUser };
    list.push(reaction);
    return json(201, reaction);
  }

  private reactToComment(commentId: number, body: unknown): Response {
    const content = (body as { content?: unknown } | undefined)?.content;
    if (typeof content !== "string") return json(422, { message: "content is required" });
    const list = this.listOf(this.commentReactions, commentId);
    // Like GitHub: the same reaction by the same user again answers 200 with the existing one.
    const existing = list.find((x) => x.content === content && x.user.login === this.botUser.login);
    if (existing) return json(200, existing);
    const reaction = { id: this.#nextId++, content, user: this.botUser };
    list.push(reaction);
    return json(201, reaction);
  }

  private comment(issue: string, body: unknown): Response {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== "string") return json(422, { message: "body is required" });
    const now = new Date().toISOString();
    const comment = { id: this.#nextId++, body: text, user: this.botUser, created_at: now, updated_at: now };
    this.listOf(this.comments, issue).push(comment);
    return json(201, comment);
  }

  private editComment(repository: string, id: number, body: unknown): Response {
    const text = (body as { body?: unknown } | undefined)?.body;
    for (const [issue, list] of this.comments) {
      const comment = list.find((c) => c.id === id);
      if (!issue.startsWith(`${repository}#`) || comment === undefined) continue;
      if (typeof text !== "string") return json(422, { message: "body is required" });
      comment.body = text;
      comment.updated_at = new Date().toISOString();
      return json(200, comment);
    }
    return json(404, { message: "Not Found" });
  }

  private miss(r: RecordedRequest): Response {
    this.unhandled.push(r);
    return json(404, { message: `fake GitHub does not serve ${r.method} ${r.path}` });
  }

  private listOf<K, T>(map: Map<K, T[]>, key: K): T[] {
    let list = map.get(key);
    if (list === undefined) {
      list = [];
      map.set(key, list);
    }
    return list;
  }
}

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}
