import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";
import { removeScratchDirs, stop } from "./process.ts";
import { type StandInApp, startAppAgainstStandIn } from "./standin-app.ts";

// End to end through the real HTTP entry: `node src/app/main.ts` as a process, signed webhooks over
// HTTP, and GitHub played by the loopback stand-in, which checks every request against GitHub's
// OpenAPI description (GitHub itself is unreachable here). The App finds it the way GHES users
// point it at their server: GHE_HOST + GHE_PROTOCOL.

const APP_ID = 4711;
const INSTALLATION = 31337;

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

type Running = {
  github: StandInApp["github"];
  dbPath: string;
  deliver(id: string, body?: string, secret?: string): Promise<Response>;
  dispatched: StandInApp["dispatched"];
};

async function start(): Promise<Running> {
  const started = await startAppAgainstStandIn(privateKey, {
    appId: APP_ID,
    // These tests are about receiving webhooks: the jobs stay queued (test/app/publish.e2e.test.ts runs them).
    env: { AUTOFIX_WORKER: "off" },
  });
  cleanups.push(() => started.github.stop());
  cleanups.push(() => stop(started.app));
  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = "User";
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzc=" };
  const signedBody = JSON.stringify(payload);
  return {
    github: started.github,
    dbPath: started.dbPath,
    dispatched: started.dispatched,
    deliver: (id, body = signedBody, secret) =>
      started.post({ id, body, ...(secret === undefined ? {} : { secret }) }),
  };
}

const repository = () => `${example.repository.owner.login}/${example.repository.name}`;
const issueKey = () => `${repository()}#${example.issue.number}`;
const labeler = () => `${repository()}:${example.sender.login}`;

describe("the App process against the GitHub stand-in", () => {
  it("answers a signed issues.labeled from a writer with one 👀, after a valid installation-token request", async () => {
    const { github, deliver, dispatched } = await start();
    github.state.permissions.set(labeler(), "write");

    expect((await deliver("delivery-1")).status).toBe(200);
    await dispatched("delivery-1");

    const tokenRequests = github.requests.filter(
      (r) => r.operationId === "apps/create-installation-access-token",
    );
    expect(tokenRequests.map((r) => [r.path, r.status])).toEqual([
      [`/app/installations/${INSTALLATION}/access_tokens`, 201],
    ]);
    expect(github.operations().filter((op) => op === "reactions/create-for-issue")).toHaveLength(1);
    expect(github.state.reactions.get(issueKey())?.map((r) => [r.content, r.user.login])).toEqual([
      ["eyes", "autofix-e2e[bot]"],
    ]);
    expect(github.operations()).toContain("repos/get-collaborator-permission-level");
    expect(github.violations).toEqual([]);
  });

  it("adds no second 👀 when the same delivery arrives 50 times", async () => {
    const { github, deliver, dbPath, dispatched } = await start();
    github.state.permissions.set(labeler(), "admin");
    for (let i = 0; i < 50; i++) expect((await deliver("same-delivery")).status).toBe(200);
    await dispatched("same-delivery");

    // The job store the process wrote (AUTOFIX_DB, relative to its working directory) holds one job.
    const store = openSqliteJobStore({ path: dbPath });
    try {
      expect(store.forIssue(repository(), example.issue.number).map((j) => [j.state, j.deliveryId])).toEqual([
        ["queued", "same-delivery"],
      ]);
    } finally {
      store.close();
    }
    expect(github.state.reactions.get(issueKey())).toHaveLength(1);
    expect(github.operations().filter((op) => op === "reactions/create-for-issue")).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("does nothing for a labeler with read access, and nothing for an unsigned delivery", async () => {
    const { github, deliver, dbPath, dispatched } = await start();
    github.state.permissions.set(labeler(), "read");
    expect((await deliver("from-reader")).status).toBe(200);
    await dispatched("from-reader");

    const forged = await deliver("forged", undefined, "not-the-secret");
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);

    expect(
      github.requests.filter(
        (r) => r.method !== "GET" && r.operationId !== "apps/create-installation-access-token",
      ),
    ).toEqual([]);
    expect(github.operations().filter((op) => op === "repos/get-collaborator-permission-level")).toHaveLength(
      1,
    );
    expect(github.state.reactions.get(issueKey()) ?? []).toEqual([]);
    const store = openSqliteJobStore({ path: dbPath });
    expect(store.forIssue(repository(), example.issue.number)).toEqual([]);
    store.close();
    expect(github.violations).toEqual([]);
  });

  it("retries when GitHub answers 502, and still reacts exactly once", async () => {
    const { github, deliver, dispatched } = await start();
    github.state.permissions.set(labeler(), "write");
    github.failNext("reactions/create-for-issue", 502);

    expect((await deliver("flaky-github")).status).toBe(200);
    await dispatched("flaky-github");

    const posts = github.requests.filter((r) => r.operationId === "reactions/create-for-issue");
    expect(posts.map((r) => r.status)).toEqual([502, 201]);
    expect(github.state.reactions.get(issueKey())).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });
});
