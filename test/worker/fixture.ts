import { createSign } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { type Logger, pino } from "pino";
import { ProbotOctokit } from "probot";
import { validateConfig } from "../../src/config/load.ts";
import { octokitForge } from "../../src/forge/octokit-forge.ts";
import type { Job, JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { gitBranchPublisher } from "../../src/publish/git-branch.ts";
import type { JobContext } from "../../src/worker/worker.ts";
import { GitHttpServer } from "../support/git-http/server.ts";
import { GitHubStandIn } from "../support/github-stand-in/server.ts";

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
  waitForEnd(jobId: number, timeoutMs?: number): Promise<Job>;
  stop(): Promise<void>;
};

export async function startFixture(privateKey: string): Promise<Fixture> {
  const github = new GitHubStandIn({ appId: 1, privateKeyPem: privateKey });
  await github.start();
  const git = new GitHttpServer({ authorize: (password) => github.issued(password) });
  await git.start();
  git.createRepository(REPO, { "calc.py": CALC, "README.md": "calc\n" });
  github.state.repositories.set(REPO, { clone_url: git.cloneUrl(REPO), default_branch: "main" });
  github.state.branchHead = (repository, branch) => {
    try {
      return git.git(repository, "rev-parse", `refs/heads/${branch}`).trim();
    } catch {
      return undefined;
    }
  };
  github.state.permissions.set(`${REPO}:${LABELER}`, "write");

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

  return {
    github,
    git,
    jobs,
    token,
    log,
    logs: () => output,
    contextFor: async () => ({
      loadConfig: async () => config.config,
      edge: {
        forge,
        git: publisher,
        token: async () => token,
        author: { name: botLogin, email: `${botLogin}@users.noreply.github.example.test` },
      },
    }),
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
    async stop() {
      jobs.close();
      await github.stop();
      await git.stop();
    },
  };
}

function appJwt(key: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 300, iss: 1 })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key, "base64url")}`;
}
