import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { STATUS_MARKER } from "../../src/publish/status-comment.ts";
import { issueCommentExample, issuesLabeledExample, testPrivateKey } from "../app/helpers.ts";
import { type AppProcess, freePort, scratchCwd, startApp, stop, waitForHttp } from "../app/process.ts";
import type { GitHttpServer } from "./git-http/server.ts";
import type { GitHubStandIn } from "./github-stand-in/server.ts";
import type { IssueComment, PullRequest } from "./github-stand-in/state.ts";
import { startGitHubWithGit } from "./github-with-git.ts";
import { writePipelineScript } from "./pipeline-script.ts";
import { postWebhook } from "./signed-webhook.ts";

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
  /**
   * Run the SCRIPTED pipeline (src/worker/scripted-pipeline.ts) with test/support/pipeline-script.ts's
   * canned run instead of the repair pipeline: no model, no Docker.
   */
  scripted?: { decision: "patch" | "abstain"; stepDelayMs?: number };
};

export type AppFlow = {
  github: GitHubStandIn;
  git: GitHttpServer;
  /** The App process started last. */
  readonly app: AppProcess;
  /** `http://127.0.0.1:<port>` of the App started last. */
  readonly baseUrl: string;
  repository: string;
  issueNumber: number;
  labeler: string;
  branch: string;
  /** The App's job database (SQLite), kept across relaunches. */
  dbPath: string;
  /** Deliver the `issues.labeled` webhook (label `autofix`) as delivery `id`. */
  deliver(id: string): Promise<Response>;
  /** Deliver an `issue_comment.created` by the labeler on the issue (a command such as `/autofix stop`). */
  command(id: string, commentId: number, text: string): Promise<Response>;
  /** Start the App again in the same working directory, with the same job database and environment. */
  relaunch(): Promise<AppProcess>;
  /** Rewrite the scripted pipeline's script (read at start-up: call before `relaunch`). */
  rescript(decision: "patch" | "abstain", stepDelayMs?: number): void;
  comments(): IssueComment[];
  pulls(): PullRequest[];
  /** Wait until `condition` holds (polling), or fail with the App's output. */
  until(condition: () => boolean, timeoutMs?: number): Promise<void>;
  /** Wait until the status comment shows a finished run and the job database records it; the comment's body. */
  finished(timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
};

const SECRET = "e2e-webhook-secret";
const APP_ID = 4713;
const INSTALLATION = 31339;
const INSTALLATION_NODE = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzk=";

export async function startAppFlow(options: AppFlowOptions): Promise<AppFlow> {
  const privateKey = testPrivateKey();
  const example = issuesLabeledExample();
  const repository = `${example.repository.owner.login}/${example.repository.name}`;
  const issueNumber = example.issue.number;
  const labeler = example.sender.login;
  const stops: (() => Promise<void>)[] = [];

  const forge = await startGitHubWithGit({
    appId: APP_ID,
    privateKey,
    repository,
    files: options.files,
    writer: labeler,
  });
  stops.push(() => forge.stop());
  const { github, git } = forge;
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
  const scriptPath = join(cwd, "pipeline.json");
  const scripted = options.scripted;
  if (scripted !== undefined) writePipelineScript(scriptPath, scripted.decision, scripted.stepDelayMs);
  let app: AppProcess | undefined;
  let base = "";
  const relaunch = async (): Promise<AppProcess> => {
    const port = await freePort();
    const started = startApp(cwd, {
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
      ...(scripted === undefined ? {} : { AUTOFIX_PIPELINE: `scripted:${scriptPath}` }),
      ...options.env,
    });
    stops.push(() => stop(started));
    app = started;
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, started, 30_000); // generous: a loaded 2-core host is slow to start it
    return started;
  };
  await relaunch();

  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = "User";
  payload.installation = { id: INSTALLATION, node_id: INSTALLATION_NODE };
  const post = (id: string, event: string, body: string) =>
    postWebhook(base, { id, event, body, secret: SECRET });
  const comments = () => github.state.comments.get(`${repository}#${issueNumber}`) ?? [];
  const dbPath = join(cwd, "state/jobs.db");
  const newestJobEnded = () => {
    const store = openSqliteJobStore({ path: dbPath });
    try {
      const state = store.forIssue(repository, issueNumber)[0]?.state;
      return state !== undefined && state !== "queued" && state !== "running";
    } finally {
      store.close();
    }
  };
  const output = () => app?.output() ?? "";
  return {
    github,
    git,
    get app(): AppProcess {
      if (app === undefined) throw new Error("the App was never started");
      return app;
    },
    get baseUrl() {
      return base;
    },
    repository,
    issueNumber,
    labeler,
    branch: `autofix/issue-${issueNumber}`,
    dbPath,
    deliver: (id) => post(id, "issues", JSON.stringify(payload)),
    command: (id, commentId, text) => {
      const comment = { ...issueCommentExample(), installation: payload.installation };
      comment.issue = structuredClone(payload.issue);
      comment.repository = structuredClone(payload.repository);
      Object.assign(comment.comment, { id: commentId, body: text });
      Object.assign(comment.sender, { login: labeler, type: "User" });
      return post(id, "issue_comment", JSON.stringify(comment));
    },
    relaunch,
    rescript: (decision, stepDelayMs) => writePipelineScript(scriptPath, decision, stepDelayMs),
    comments,
    pulls: () => github.state.pulls.get(repository) ?? [],
    async until(condition, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms:\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async finished(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      // The worker shows the outcome in the comment first, then records it in the job database.
      while (Date.now() < deadline) {
        const status = comments().find((c) => c.body.includes(STATUS_MARKER));
        if (status !== undefined && !status.body.includes("⏳ autofix is working") && newestJobEnded()) {
          return status.body;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const status = comments().find((c) => c.body.includes(STATUS_MARKER))?.body ?? "(no status comment)";
      throw new Error(`the run did not finish:\n${status}\n--- App output:\n${output()}`);
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
