import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { STATUS_MARKER } from "../../src/publish/status-comment.ts";
import { GitHttpServer } from "../support/git-http/server.ts";
import { GitHubStandIn } from "../support/github-stand-in/server.ts";
import { issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";
import {
  type AppProcess,
  freePort,
  removeScratchDirs,
  scratchCwd,
  startApp,
  stop,
  waitForHttp,
} from "./process.ts";

// The whole App flow as a process: `node src/app/main.ts` receives signed webhooks, its worker runs
// the job and publishes. GitHub is the OpenAPI-checked stand-in (unreachable otherwise); git is real,
// `git http-backend` on loopback, which the stand-in's `clone_url` points at. The PIPELINE IS SCRIPTED
// (AUTOFIX_PIPELINE=scripted:<file>, a canned report) because the repair pipeline is not built yet.

const SECRET = "e2e-webhook-secret";
const APP_ID = 4712;
const INSTALLATION = 31338;
const SOURCE = "def divide(a, b):\n    return a / b\n";

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeScratchDirs();
});

const repository = () => `${example.repository.owner.login}/${example.repository.name}`;
const issueNumber = () => example.issue.number;
const branch = () => `autofix/issue-${issueNumber()}`;

function script(decision: "patch" | "abstain", stepDelayMs = 0): object {
  return {
    stepDelayMs,
    steps: [
      { stage: "localize", state: "done", figures: { files: 1, elements: 1 }, tokens: 800, dollars: 0.02 },
      { stage: "repair", state: "running", figures: { candidates: 3 }, tokens: 2_400, dollars: 0.07 },
    ],
    report: {
      decision,
      reason:
        decision === "patch"
          ? "one candidate passed every test"
          : "no candidate passed the reproduction test",
      stages: [{ stage: "validate", figures: { passed: decision === "patch" ? 1 : 0 } }],
      evidence: [{ test: "test_calc.py::test_divide_by_zero", before: "fail", after: "pass" }],
      tokens: 3_000,
      dollars: 0.09,
      ...(decision === "patch"
        ? {
            patch: {
              title: "Return 0 when dividing by zero",
              summary: "divide() guards its divisor.",
              edits: [{ path: "calc.py", search: "return a / b", replace: "return a / b if b else 0" }],
            },
          }
        : {}),
    },
  };
}

async function startFlow(decision: "patch" | "abstain", stepDelayMs = 0) {
  const github = new GitHubStandIn({ appId: APP_ID, privateKeyPem: privateKey });
  await github.start();
  cleanups.push(() => github.stop());
  const git = new GitHttpServer({ authorize: (password) => github.issued(password) });
  await git.start();
  cleanups.push(() => git.stop());
  git.createRepository(repository(), { "calc.py": SOURCE });
  github.state.repositories.set(repository(), {
    clone_url: git.cloneUrl(repository()),
    default_branch: "main",
  });
  github.state.branchHead = (repo, name) => {
    try {
      return git.git(repo, "rev-parse", `refs/heads/${name}`).trim();
    } catch {
      return undefined;
    }
  };
  github.state.permissions.set(`${repository()}:${example.sender.login}`, "write");

  const cwd = scratchCwd();
  writeFileSync(join(cwd, "pipeline.json"), JSON.stringify(script(decision, stepDelayMs)));
  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = "User";
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzg=" };
  const body = JSON.stringify(payload);
  let base = "";
  /** Start the App (again) in the same working directory, with the same job database. */
  const launch = async (): Promise<AppProcess> => {
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
      AUTOFIX_PIPELINE: "scripted:pipeline.json",
      AUTOFIX_JOB_STALE_MS: "1500",
    });
    cleanups.push(() => stop(started));
    base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, started);
    return started;
  };
  const app = await launch();
  const deliver = (id: string) =>
    fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": id,
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    });
  const comments = () => github.state.comments.get(`${repository()}#${issueNumber()}`) ?? [];
  /** Wait until the status comment shows a finished run. */
  const finished = async (timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = comments().find((c) => c.body.includes(STATUS_MARKER));
      if (status !== undefined && !status.body.includes("⏳ autofix is working")) return status.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the run did not finish:\n${app.output()}`);
  };
  const rescript = (decision: "patch" | "abstain") =>
    writeFileSync(join(cwd, "pipeline.json"), JSON.stringify(script(decision)));
  return {
    github,
    git,
    app,
    launch,
    rescript,
    deliver,
    comments,
    finished,
    dbPath: join(cwd, "state/jobs.db"),
  };
}

describe("the App flow, label → worker → draft PR or abstain comment", () => {
  it("happy path: one draft PR whose branch in the git server holds the patched file", async () => {
    const { github, git, app, deliver, comments, finished } = await startFlow("patch");
    expect((await deliver("label-1")).status).toBe(200);
    const status = await finished();

    expect(status).toContain("✅ autofix proposed a fix");
    expect(status).toContain("✅ Repair — candidates: 3");
    expect(status).toContain("Spent 3,000 of 500,000 tokens, $0.09 of $2.00.");
    const pulls = github.state.pulls.get(repository()) ?? [];
    expect(pulls.map((p) => [p.head.ref, p.base.ref, p.draft, p.state])).toEqual([
      [branch(), "main", true, "open"],
    ]);
    expect(pulls[0]?.body).toContain(`Fixes #${issueNumber()}`);
    expect(pulls[0]?.requested_reviewers.map((u) => u.login)).toEqual([example.sender.login]);
    expect(git.git(repository(), "show", `refs/heads/${branch()}:calc.py`)).toBe(
      SOURCE.replace("return a / b", "return a / b if b else 0"),
    );
    expect(git.git(repository(), "show", "refs/heads/main:calc.py")).toBe(SOURCE);
    expect(comments()).toHaveLength(1);
    // The push carried an installation token the stand-in issued (the git server refuses others);
    // the App's log never shows one.
    expect(git.requests.filter((r) => r.service === "git-receive-pack").map((r) => r.status)).toContain(200);
    expect(app.output()).not.toMatch(/ghs_standin_/);
    expect(github.violations).toEqual([]);
  });

  it("the same delivery 50 times → one job, one PR, one comment", async () => {
    const { github, deliver, comments, finished } = await startFlow("patch");
    for (let i = 0; i < 50; i++) expect((await deliver("same-delivery")).status).toBe(200);
    await finished();
    await new Promise((r) => setTimeout(r, 600)); // a second job, were there one, would be claimed by now
    expect(github.state.pulls.get(repository())).toHaveLength(1);
    expect(github.operations().filter((op) => op === "pulls/create")).toHaveLength(1);
    expect(comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("abstain → a comment saying what was tried and why, no PR and no branch", async () => {
    const { github, git, deliver, comments, finished } = await startFlow("abstain");
    expect((await deliver("label-abstain")).status).toBe(200);
    const status = await finished();
    expect(status).toContain("autofix did not propose a fix");
    expect(status).toContain("**Why no pull request:** no candidate passed the reproduction test");
    expect(status).toContain("**What was tried:** validate (passed: 0)");
    expect(github.state.pulls.get(repository()) ?? []).toEqual([]);
    expect(() => git.git(repository(), "rev-parse", "--verify", `refs/heads/${branch()}`)).toThrow();
    expect(comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("SIGTERM mid-run: exit 0, the job released to the queue, and a restart resumes it at once → one PR", async () => {
    const { github, app, launch, rescript, deliver, comments, finished, dbPath } = await startFlow(
      "patch",
      5_000,
    );
    expect((await deliver("label-sigterm")).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (!comments().some((c) => c.body.includes("Localization — files: 1")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(comments()[0]?.body).toContain("⏳ autofix is working on this issue");
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain("released the running jobs back to the queue");

    // Released, not orphaned: queued again, and the interrupted start does not count as an attempt.
    const store = openSqliteJobStore({ path: dbPath });
    try {
      expect(store.forIssue(repository(), issueNumber()).map((j) => [j.state, j.attempts])).toEqual([
        ["queued", 0],
      ]);
    } finally {
      store.close();
    }
    expect(comments()[0]?.body).not.toContain("failed");
    expect(github.state.pulls.get(repository()) ?? []).toEqual([]);

    rescript("patch");
    await launch();
    expect(await finished()).toContain("✅ autofix proposed a fix");
    expect(github.state.pulls.get(repository())).toHaveLength(1);
    expect(comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("SIGKILL mid-run, then a restart: the orphaned job is resumed once → one PR, one comment", async () => {
    const { github, git, app, launch, rescript, deliver, comments, finished, dbPath } = await startFlow(
      "patch",
      5_000,
    );
    expect((await deliver("label-sigkill")).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (!comments().some((c) => c.body.includes("Localization — files: 1")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    app.child.kill("SIGKILL");
    await app.exited;
    rescript("patch"); // the resumed run goes straight through
    await launch();
    const status = await finished();

    expect(status).toContain("✅ autofix proposed a fix");
    expect(github.state.pulls.get(repository())).toHaveLength(1);
    expect(github.operations().filter((op) => op === "pulls/create")).toHaveLength(1);
    expect(comments()).toHaveLength(1);
    expect(git.git(repository(), "show", `refs/heads/${branch()}:calc.py`)).toContain("if b else 0");
    const store = openSqliteJobStore({ path: dbPath });
    try {
      expect(store.forIssue(repository(), issueNumber()).map((j) => [j.state, j.attempts])).toEqual([
        ["done", 2],
      ]);
    } finally {
      store.close();
    }
    expect(github.violations).toEqual([]);
  });
});
