import { createSign } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { type Logger, pino } from "pino";
import { ProbotOctokit } from "probot";
import { validateConfig } from "../../src/config/load.ts";
import { octokitForge } from "../../src/forge/octokit-forge.ts";
import type { Job, JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { gitBranchPublisher } from "../../src/publish/git-branch.ts";
import type { RunPipeline } from "../../src/worker/pipeline.ts";
import { type JobContext, startWorker, type Worker, type WorkerOptions } from "../../src/worker/worker.ts";
import type { GitHttpServer } from "../support/git-http/server.ts";
import type { GitHubStandIn } from "../support/github-stand-in/server.ts";
import { startGitHubWithGit } from "../support/github-with-git.ts";

export const REPO = "octo/calc";
export const LABELER = "octocat";
export const CALC = "def divide(a, b):\n    return a / b\n";

/**
 * GitHub played by the OpenAPI-checked stand-in (GitHub is unreachable here) and real git over HTTP
 * (`git http-backend`) holding `octo/calc`; the forge is the real Octokit adapter with an installation
 * token the stand-in issued, which the git server also demands.
 */
export type Fixture = {
  github: GitHubStandIn;
  git: GitHttpServer;
  jobs: JobStore;
  token: string;
  logs: () => string;
  log: Logger;
  contextFor: (job: Job) => Promise<JobContext>;
  enqueue(issueNumber: number, trigger?: string, deliveryId?: string): Job;
  /** Start a worker on the fixture's jobs running `pipeline` (polling fast); `stop` stops it. */
  work(pipeline: RunPipeline, options?: Partial<WorkerOptions>): Worker;
  waitForEnd(jobId: number, timeoutMs?: number): Promise<Job>;
  stop(): Promise<void>;
};

export async function startFixture(privateKey: string): Promise<Fixture> {
  const servers = await startGitHubWithGit({
    appId: 1,
    privateKey,
    repository: REPO,
    files: { "calc.py": CALC, "README.md": "calc\n" },
    writer: LABELER,
  });
  const { github, git } = servers;

  const baseUrl = `http://${github.host}/api/v3`;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const appClient = new Octokit({ baseUrl, auth: appJwt(privateKey), log: quiet });
  const { data } = await appClient.rest.apps.createInstallationAccessToken({ installation_id: 7 });
  const token = data.token;
  const octokit = new ProbotOctokit({
    auth: { token },
    baseUrl,
    log: quiet,
    retry: { enabled: false },
    throttle: { enabled: false },
  });

  let output = "";
  const sink = {
    write(line: string) {
      output += line;
    },
  };
  const log: Logger = pino({ level: "debug" }, sink);
  const jobs = openSqliteJobStore({ path: ":memory:" });
  const config = validateConfig({});
  if (!config.ok) throw new Error("default config does not validate");
  const botLogin = github.botUser.login;
  const forge = octokitForge({ octokit, owner: "octo", repo: "calc", botLogin });
  const publisher = gitBranchPublisher();
  let deliveries = 0;
  const workers: Worker[] = [];
  const contextFor = async (): Promise<JobContext> => ({
    loadConfig: async () => config.config,
    edge: {
      forge,
      git: publisher,
      token: async () => token,
      author: { name: botLogin, email: `${botLogin}@users.noreply.github.example.test` },
    },
  });

  return {
    github,
    git,
    jobs,
    token,
    log,
    logs: () => output,
    contextFor,
    enqueue: (issueNumber, trigger = "label", deliveryId = `delivery-${++deliveries}`) =>
      jobs.enqueue({
        deliveryId,
        installationId: 7,
        repository: REPO,
        issueNumber,
        trigger,
        triggeredBy: LABELER,
      }).job,
    async waitForEnd(jobId, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = jobs.get(jobId);
        if (job !== undefined && job.state !== "queued" && job.state !== "running") return job;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job?.state}:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    work(pipeline, options = {}) {
      const worker = startWorker({
        jobs,
        pipeline,
        contextFor,
        log,
        pollMs: 20,
        heartbeatMs: 20,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      jobs.close();
      await servers.stop();
    },
  };
}

function appJwt(key: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 300, iss: 1 })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key, "base64url")}`;
}
