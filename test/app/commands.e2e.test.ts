import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CAP_MARKER } from "../../src/app/caps.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import {
  type CommentPayload,
  issueCommentExample,
  issuesLabeledExample,
  type LabeledPayload,
  testPrivateKey,
} from "./helpers.ts";
import { removeScratchDirs, stop } from "./process.ts";
import { type StandInApp, startAppAgainstStandIn } from "./standin-app.ts";

// Commands and caps end to end: the App as a process receives signed `issue_comment.created` and
// `issues.labeled` deliveries over HTTP; GitHub is the stand-in that checks every request against
// GitHub's OpenAPI description (GitHub itself is unreachable here). The worker is off: jobs stay queued.

const APP_ID = 4714;
const INSTALLATION = 31340;
const installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzNDA=" };

let privateKey: string;
let labeled: LabeledPayload;
let commented: CommentPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  labeled = issuesLabeledExample();
  commented = issueCommentExample();
});

const running: StandInApp[] = [];
afterEach(async () => {
  const started = running.splice(0);
  await Promise.all(started.map((r) => stop(r.app)));
  await Promise.all(started.map((r) => r.github.stop()));
  removeScratchDirs();
});

const repository = () => `${labeled.repository.owner.login}/${labeled.repository.name}`;
const issueKey = () => `${repository()}#${labeled.issue.number}`;

async function start(): Promise<StandInApp> {
  const started = await startAppAgainstStandIn(privateKey, { appId: APP_ID, env: { AUTOFIX_WORKER: "off" } });
  running.push(started);
  return started;
}

function label(app: StandInApp, id: string): Promise<Response> {
  const payload = { ...structuredClone(labeled), installation };
  payload.label.name = "autofix";
  payload.sender.type = "User";
  return app.post({ id, body: JSON.stringify(payload) });
}

function comment(app: StandInApp, id: string, commentId: number, body: string, login: string) {
  const payload = { ...structuredClone(commented), installation };
  payload.issue = { ...structuredClone(labeled.issue) };
  payload.repository = structuredClone(labeled.repository);
  Object.assign(payload.comment, { id: commentId, body, user: { ...payload.comment.user, login } });
  Object.assign(payload.sender, { login, type: "User" });
  return app.post({ id, event: "issue_comment", body: JSON.stringify(payload) });
}

function states(dbPath: string): string[] {
  const store = openSqliteJobStore({ path: dbPath });
  try {
    return store.forIssue(repository(), labeled.issue.number).map((j) => `${j.trigger}:${j.state}`);
  } finally {
    store.close();
  }
}

describe("commands over HTTP against the stand-in", () => {
  it("stop, retry and status from a maintainer; an outsider's retry is ignored", async () => {
    const app = await start();
    const { github, dbPath } = app;
    github.state.permissions.set(`${repository()}:${labeled.sender.login}`, "write");
    github.state.permissions.set(`${repository()}:maintainer`, "maintain");
    github.state.permissions.set(`${repository()}:reader`, "read");

    expect((await label(app, "label-1")).status).toBe(200);
    expect((await comment(app, "c-stop", 801, "/autofix stop", "maintainer")).status).toBe(200);
    await app.dispatched("label-1", "c-stop");
    expect(states(dbPath)).toEqual(["label:cancelled"]);
    expect((await comment(app, "c-reader", 802, "/autofix retry", "reader")).status).toBe(200);
    await app.dispatched("c-reader");
    expect(states(dbPath)).toEqual(["label:cancelled"]);
    for (let i = 0; i < 3; i++) {
      expect((await comment(app, "c-retry", 803, "@autofix-e2e retry", "maintainer")).status).toBe(200);
    }
    await app.dispatched("c-retry");
    expect(states(dbPath)).toEqual(["retry:queued", "label:cancelled"]);
    expect((await comment(app, "c-status", 804, "/autofix status", "maintainer")).status).toBe(200);
    await app.dispatched("c-status");

    expect(github.state.commentReactions.get(801)?.map((r) => r.content)).toEqual(["+1"]);
    expect(github.state.commentReactions.get(802)).toBeUndefined();
    expect(github.state.commentReactions.get(803)?.map((r) => r.content)).toEqual(["rocket"]);
    const replies = github.state.comments.get(issueKey()) ?? [];
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/job \d+ is queued, waiting for a worker\. Started by maintainer/);
    expect(github.violations).toEqual([]);
  });

  it("refuses a label past the open-PR cap with one comment, through the real pulls list", async () => {
    const app = await start();
    const { github, dbPath } = app;
    github.state.permissions.set(`${repository()}:${labeled.sender.login}`, "admin");
    github.state.files.set(`${repository()}:.github/autofix.yml`, "caps:\n  maxOpenPullRequests: 1\n");
    github.state.pulls.set(repository(), [
      {
        id: 1,
        number: 7,
        title: "Fix #7",
        body: null,
        draft: true,
        state: "open",
        html_url: "https://github.example.test/pull/7",
        head: { ref: "autofix/issue-7", sha: "a".repeat(40) },
        base: { ref: "main" },
        user: github.botUser,
        requested_reviewers: [],
      },
    ]);
    expect((await label(app, "capped-1")).status).toBe(200);
    expect((await label(app, "capped-2")).status).toBe(200);
    await app.dispatched("capped-1", "capped-2");

    expect(states(dbPath)).toEqual([]);
    const comments = github.state.comments.get(issueKey()) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(CAP_MARKER);
    expect(comments[0]?.body).toContain("`autofix/issue-7`");
    expect(github.state.reactions.get(issueKey()) ?? []).toEqual([]);
    expect(github.operations()).toContain("pulls/list");
    expect(github.violations).toEqual([]);
  });
});
