import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Real git over HTTP on loopback for end-to-end tests: git's own CGI, `git http-backend`, behind a
 * tiny node:http server. It serves bare repositories under a scratch root at `/<owner>/<repo>.git`,
 * fetch and push (smart protocol), and demands HTTP basic credentials whose password `authorize`
 * accepts (the stand-in's installation tokens), as GitHub does for an App's pushes.
 */
export type GitHttpOptions = { authorize: (password: string) => boolean };
export type GitRequest = { method: string; path: string; service: string | undefined; status: number };

export class GitHttpServer {
  readonly root = mkdtempSync(join(tmpdir(), "autofix-git-http-"));
  readonly requests: GitRequest[] = [];
  readonly #options: GitHttpOptions;
  #server: Server | undefined;
  #port = 0;

  constructor(options: GitHttpOptions) {
    this.#options = options;
  }

  cloneUrl(repository: string): string {
    return `http://127.0.0.1:${this.#port}/${repository}.git`;
  }

  /** A bare repository `owner/repo` whose `branch` holds `files` (and symbolic `links`, path → target) in one commit by a person. */
  createRepository(
    repository: string,
    files: Record<string, string>,
    branch = "main",
    links: Record<string, string> = {},
  ): void {
    const work = mkdtempSync(join(tmpdir(), "autofix-git-seed-"));
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", args, { cwd, env: seedEnv(), stdio: ["ignore", "pipe", "pipe"] }).toString();
    try {
      git(work, "init", "-q", "-b", branch);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), text);
      }
      for (const [path, target] of Object.entries(links)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        symlinkSync(target, join(work, path));
      }
      git(work, "add", "--all");
      git(work, "commit", "-q", "-m", "initial");
      const bare = join(this.root, `${repository}.git`);
      mkdirSync(dirname(bare), { recursive: true });
      git(this.root, "clone", "-q", "--bare", work, bare);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Add one commit by a person (`Octo Cat`) with `files` on `branch` of a repository (created from `from` if new). */
  commitFiles(repository: string, branch: string, files: Record<string, string>, from = branch): string {
    const work = mkdtempSync(join(tmpdir(), "autofix-git-commit-"));
    const bare = join(this.root, `${repository}.git`);
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: work, env: seedEnv(), stdio: ["ignore", "pipe", "pipe"] }).toString();
    try {
      git("clone", "-q", "--branch", from, bare, ".");
      if (from !== branch) git("checkout", "-q", "-b", branch);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), text);
      }
      git("add", "--all");
      git("commit", "-q", "-m", "a person's commit");
      git("push", "-q", "origin", `HEAD:refs/heads/${branch}`);
      return git("rev-parse", "HEAD").trim();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** `git <args>` inside the bare repository (tests read branches and files this way). */
  git(repository: string, ...args: string[]): string {
    const cwd = join(this.root, `${repository}.git`);
    return execFileSync("git", args, { cwd, env: seedEnv(), stdio: ["ignore", "pipe", "pipe"] }).toString();
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    const address = this.#server.address();
    if (address === null || typeof address === "string") throw new Error("git server has no port");
    this.#port = address.port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://git");
    const service = url.searchParams.get("service") ?? url.pathname.split("/").pop();
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? "", path: url.pathname, service, status });
    const password = basicPassword(req.headers.authorization);
    if (password === undefined || !this.#options.authorize(password)) {
      record(401);
      res.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end("Bad credentials");
      return;
    }
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: "1",
        REMOTE_USER: "x-access-token", // enables receive-pack (push)
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ""),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        ...(req.headers["content-encoding"]
          ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] }
          : {}),
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    cgi.stderr.resume();
    await once(cgi, "close");
    const output = Buffer.concat(chunks);
    const split = headerEnd(output);
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of output.subarray(0, split.at).toString("latin1").split(/\r?\n/)) {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) continue;
      if (match[1].toLowerCase() === "status") status = Number.parseInt(match[2], 10);
      else headers[match[1]] = match[2];
    }
    record(status);
    res.writeHead(status, headers).end(output.subarray(split.at + split.length));
  }
}

function headerEnd(output: Buffer): { at: number; length: number } {
  const crlf = output.indexOf("\r\n\r\n");
  const lf = output.indexOf("\n\n");
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf === -1 ? 0 : lf, length: lf === -1 ? 0 : 2 };
}

function basicPassword(header: string | undefined): string | undefined {
  const encoded = /^Basic (.+)$/i.exec(header ?? "")?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function seedEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Octo Cat",
    GIT_AUTHOR_EMAIL: "octocat@example.com",
    GIT_COMMITTER_NAME: "Octo Cat",
    GIT_COMMITTER_EMAIL: "octocat@example.com",
  };
}
