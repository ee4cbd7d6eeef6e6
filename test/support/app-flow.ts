import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { STATUS_MARKER } from "../../src/publish/status-comment.ts";
import { issuesLabeledExample, testPrivateKey } from "../app/helpers.ts";
import { type AppProcess, freePort, scratchCwd, startApp, stop, waitForHttp } from "../app/process.ts";
import { GitHttpServer } from "./git-http/server.ts";
import { GitHubStandIn } from "./github-stand-in/server.ts";
import type { IssueComment, PullRequest } from "./github-stand-in/state.ts";

/**
 * The whole App as a process, for end-to-end tests: `node src/app/main.ts` receives signed webhooks;
 * GitHub is the OpenAPI-checked stand-in; git is `git http-backend` on loopback (the stand-in's
 * `clone_url` points at it, and it accepts only installation tokens the stand-in issued). The
 * labeled issue is GitHub's own `issues.labeled` example payload, with the test's issue text.
 */
export type AppFlowOptions = {
  /** Files of the repository's default branch (`main`), committed by a person. */
  files: Record<string, string>;
  issue: { title: string; body: string };
  /** Extra environment of the App (model endpoint, pipeline, cache dir, …). */
  env: Record<string, string>;
};

export type AppFlow = {
  github: GitHubStandIn;
  git: GitHttpServer;
  app: AppProcess;
  /** `http://127.0.0.1:<port>` of the App. */
  baseUrl: string;
  repository: string;
  issueNumber: number;
  labeler: string;
  branch: string;
  /** Deliver the `issues.labeled` webhook (label `autofix`) as delivery `id`. */
  deliver(id: string): Promise<Response>;
  comments(): IssueComment[];
  pulls(): PullRequest[];
  /** Wait until the status comment shows a finished run; its body. */
  finished(timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
};

const SECRET = "e2e-webhook-secret";
const APP_ID = 4713;
const INSTALLATION = 31339;

export async function startAppFlow(options: AppFlowOptions): Promise<AppFlow> {
  const privateKey = testPrivateKey();
  const example = issuesLabeledExample();
  const repository = `${example.repository.owner.login}/${example.repository.name}`;
  const issueNumber = example.issue.number;
  const labeler = example.sender.login;
  const stops: (() => Promise<void>)[] = [];

  const github = new GitHubStandIn({ appId: APP_ID, privateKeyPem: privateKey });
  await github.start();
  stops.push(() => github.stop());
  const git = new GitHttpServer({ authorize: (password) => github.issued(password) });
  await git.start();
  stops.push(() => git.stop());
  git.createRepository(repository, options.files);
  github.state.repositories.set(repository, { clone_url: git.cloneUrl(repository), default_branch: "main" });
  github.state.branchHead = (repo, name) => {
    try {
      return git.git(repo, "rev-parse", `refs/heads/${name}`).trim();
    } catch {
      return undefined;
    }
  };
  github.state.permissions.set(`${repository}:${labeler}`, "write");
  github.state.issues.set(`${repository}#${issueNumber}`, {
    ...options.issue,
    state: "open",
    user: { login: labeler, id: 1, type: "User" },
    author_association: "OWNER",
  });
  // The App reads its config through the contents API, as on GitHub.
  const config = options.files[".github/autofix.yml"];
  if (config !== undefined) github.state.files.set(`${repository}:.github/autofix.yml`, config);

  const cwd = scratchCwd();
  const port = await freePort();
  const app = startApp(cwd, {
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_FORMAT: "json",
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    AUTOFIX_DB: "state/jobs.db",
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    ...options.env,
  });
  stops.push(() => stop(app));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, app);

  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = "User";
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzk=" };
  const body = JSON.stringify(payload);
  const comments = () => github.state.comments.get(`${repository}#${issueNumber}`) ?? [];
  return {
    github,
    git,
    app,
    baseUrl: base,
    repository,
    issueNumber,
    labeler,
    branch: `autofix/issue-${issueNumber}`,
    deliver: (id) =>
      fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issues",
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      }),
    comments,
    pulls: () => github.state.pulls.get(repository) ?? [],
    async finished(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const status = comments().find((c) => c.body.includes(STATUS_MARKER));
        if (status !== undefined && !status.body.includes("⏳ autofix is working")) return status.body;
        await new Promise((r) => setTimeout(r, 100));
      }
      const status = comments().find((c) => c.body.includes(STATUS_MARKER))?.body ?? "(no status comment)";
      throw new Error(`the run did not finish:\n${status}\n--- App output:\n${app.output()}`);
    },
    async stop() {
      for (const step of stops.splice(0).reverse()) await step();
    },
  };
}

/** Every file under `dir` (a fixture repository), as repository path → text. */
export function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}
