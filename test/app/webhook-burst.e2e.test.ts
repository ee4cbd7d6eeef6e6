import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { labeledBurst, reactionPostsPerIssue, sendBurst, UNCAPPED_CONFIG } from "../support/webhook-burst.ts";
import { issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";
import { removeScratchDirs, stop } from "./process.ts";
import { type StandInApp, startAppAgainstStandIn } from "./standin-app.ts";

// Webhooks are only recorded while the request is open; the dispatcher decides them afterwards. The
// App runs as a process against the OpenAPI-checked GitHub stand-in; the worker is off (jobs stay
// queued). Answer times are the benchmark's (`npm run bench -- webhooks`), not asserted here.

const APP_ID = 4716;
const INSTALLATION = 31342;

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const apps: StandInApp[] = [];
afterEach(async () => {
  const started = apps.splice(0);
  await Promise.all(started.map((a) => stop(a.app)));
  await Promise.all([...new Set(started.map((a) => a.github))].map((github) => github.stop()));
  removeScratchDirs();
});

const repository = () => `${example.repository.owner.login}/${example.repository.name}`;

async function start(env: Record<string, string>): Promise<StandInApp> {
  const app = await startAppAgainstStandIn(privateKey, { appId: APP_ID, env });
  apps.push(app);
  app.github.state.permissions.set(`${repository()}:${example.sender.login}`, "write");
  app.github.state.files.set(`${repository()}:.github/autofix.yml`, UNCAPPED_CONFIG);
  return app;
}

function withStore<T>(dbPath: string, read: (store: JobStore) => T): T {
  const store = openSqliteJobStore({ path: dbPath });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

const post = (app: StandInApp) => (d: { id: string; body: string }) => app.post({ id: d.id, body: d.body });

describe("a burst of webhook deliveries", () => {
  it("50 at once for 10 issues: all answered and recorded; each issue gets one job and one 👀 POST", async () => {
    const app = await start({ AUTOFIX_WORKER: "off" });
    const burst = labeledBurst(example, { issues: 10, perIssue: 5, installationId: INSTALLATION });
    const issues = [...new Set(burst.map((d) => d.issueNumber))];

    const answers = await sendBurst(burst, post(app));
    expect(answers.map((a) => a.status)).toEqual(burst.map(() => 200));
    await app.dispatched(...burst.map((d) => d.id));

    withStore(app.dbPath, (store) => {
      expect(store.countDeliveries()).toEqual({ pending: 0, done: 50, failed: 0 });
      for (const issue of issues) {
        expect(
          store.forIssue(repository(), issue).map((j) => j.state),
          `issue ${issue}`,
        ).toEqual(["queued"]);
      }
    });
    const posts = reactionPostsPerIssue(app.github);
    expect(issues.map((issue) => [issue, posts.get(issue)])).toEqual(issues.map((issue) => [issue, 1]));
    for (const issue of issues)
      expect(app.github.state.reactions.get(`${repository()}#${issue}`)).toHaveLength(1);
    expect(app.github.violations).toEqual([]);
  }, 120_000);

  it("killed (SIGKILL) after recording, before dispatching: the restarted App dispatches every delivery", async () => {
    const first = await start({ AUTOFIX_WORKER: "off", AUTOFIX_DISPATCH: "off" });
    const burst = labeledBurst(example, { issues: 2, perIssue: 2, installationId: INSTALLATION });
    const answers = await sendBurst(burst, post(first));
    expect(answers.map((a) => a.status)).toEqual(burst.map(() => 200));
    // Recorded, not decided: GitHub was not asked anything (not even for a token).
    expect(withStore(first.dbPath, (store) => store.countDeliveries())).toEqual({
      pending: 4,
      done: 0,
      failed: 0,
    });
    expect(first.github.requests).toEqual([]);

    first.app.child.kill("SIGKILL");
    await first.app.exited;
    const second = await first.relaunch({ AUTOFIX_WORKER: "off" });
    apps.push(second);
    await second.dispatched(...burst.map((d) => d.id));

    withStore(second.dbPath, (store) => {
      expect(store.countDeliveries()).toEqual({ pending: 0, done: 4, failed: 0 });
      for (const issue of [100, 101]) expect(store.forIssue(repository(), issue)).toHaveLength(1);
    });
    expect([...reactionPostsPerIssue(second.github)].sort()).toEqual([
      [100, 1],
      [101, 1],
    ]);
    expect(second.github.violations).toEqual([]);
  }, 120_000);
});
