import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../src/config/environment.ts";
import type { EnqueueRequest, JobStore } from "../../src/jobs/job-store.ts";
import { jobDbPath, openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

const LIMITS = { perInstallation: 10, perRepository: 10 };

const opened: JobStore[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function open(path = ":memory:", now?: () => number): JobStore {
  const store = openSqliteJobStore({ path, ...(now ? { now } : {}) });
  opened.push(store);
  return store;
}

function scratchDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "autofix-jobs-"));
  dirs.push(dir);
  return join(dir, "nested", "autofix.db");
}

let nextDelivery = 0;
function request(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    deliveryId: `delivery-${++nextDelivery}`,
    installationId: 1,
    repository: "octo/repo",
    issueNumber: 7,
    trigger: "label",
    triggeredBy: "octocat",
    ...overrides,
  };
}

describe("enqueue", () => {
  it("makes one job of the same delivery sent 50 times", () => {
    const store = open();
    const results = Array.from({ length: 50 }, () => store.enqueue(request({ deliveryId: "same" })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(store.forIssue("octo/repo", 7)).toHaveLength(1);
    expect(results[0]?.job).toMatchObject({ state: "queued", attempts: 0, trigger: "label" });
  });

  it("joins a new delivery to the active job of the same issue and trigger, until that job ends", () => {
    const store = open();
    const first = store.enqueue(request());
    const again = store.enqueue(request());
    expect(again).toEqual({ job: first.job, created: false });
    const otherTrigger = store.enqueue(request({ trigger: "retry" }));
    expect(otherTrigger.created).toBe(true);

    const claimed = store.claim("w", LIMITS);
    expect(claimed?.id).toBe(first.job.id);
    expect(store.enqueue(request()).created).toBe(false); // running still counts as active
    expect(store.finish(first.job.id, "w", "abstained", "no candidate passed")).toBe(true);
    const after = store.enqueue(request());
    expect(after.created).toBe(true);
    expect(after.job.id).not.toBe(first.job.id);
    expect(store.get(first.job.id)).toMatchObject({ state: "abstained", reason: "no candidate passed" });
  });
});

describe("claim", () => {
  it("honours the per-repository and per-installation limits", () => {
    const store = open();
    for (const issueNumber of [1, 2, 3]) store.enqueue(request({ issueNumber }));
    store.enqueue(request({ repository: "octo/other", issueNumber: 1 }));
    store.enqueue(request({ repository: "elsewhere/x", installationId: 2, issueNumber: 1 }));
    const limits = { perInstallation: 2, perRepository: 1 };

    const first = store.claim("w1", limits);
    const second = store.claim("w2", limits);
    const third = store.claim("w3", limits);
    expect([first?.repository, second?.repository, third?.repository]).toEqual([
      "octo/repo",
      "octo/other",
      "elsewhere/x",
    ]);
    expect(store.claim("w4", limits)).toBeUndefined(); // installation 1 has 2 running; octo/repo has 1
    store.finish(second?.id ?? -1, "w2", "done");
    expect(store.claim("w4", limits)).toBeUndefined(); // octo/repo is still at its limit of 1
    store.finish(first?.id ?? -1, "w1", "done");
    expect(store.claim("w4", limits)).toMatchObject({ repository: "octo/repo", issueNumber: 2 });
  });

  it("never starts a second job for an issue while one runs", () => {
    const store = open();
    store.enqueue(request({ trigger: "label" }));
    store.enqueue(request({ trigger: "retry" }));
    const running = store.claim("w1", LIMITS);
    expect(store.claim("w2", LIMITS)).toBeUndefined();
    store.finish(running?.id ?? -1, "w1", "failed", "boom");
    expect(store.claim("w2", LIMITS)).toMatchObject({ trigger: "retry" });
  });
});

describe("heartbeat, finish and cancel", () => {
  it("record the stage, and refuse a worker that does not hold the job", () => {
    const store = open();
    const { job } = store.enqueue(request());
    store.claim("w1", LIMITS);
    expect(store.heartbeat(job.id, "w1", "localize")).toBe(true);
    expect(store.get(job.id)).toMatchObject({ state: "running", stage: "localize", workerId: "w1" });
    expect(store.heartbeat(job.id, "w2", "repair")).toBe(false);
    expect(store.finish(job.id, "w2", "done")).toBe(false);
    expect(store.get(job.id)?.stage).toBe("localize");
  });

  it("cancel ends the issue's queued and running jobs, and the worker learns it at its next heartbeat", () => {
    const store = open();
    const running = store.enqueue(request({ trigger: "label" })).job;
    const queued = store.enqueue(request({ trigger: "retry" })).job;
    const untouched = store.enqueue(request({ issueNumber: 8 })).job;
    store.claim("w1", LIMITS);

    const cancelled = store.cancel("octo/repo", 7, "the issue was closed");
    expect(cancelled.map((j) => [j.id, j.state])).toEqual([
      [running.id, "cancelled"],
      [queued.id, "cancelled"],
    ]);
    expect(store.heartbeat(running.id, "w1", "repair")).toBe(false);
    expect(store.finish(running.id, "w1", "done")).toBe(false);
    expect(store.get(running.id)).toMatchObject({ state: "cancelled", reason: "the issue was closed" });
    expect(store.get(untouched.id)?.state).toBe("queued");
  });
});

describe("restart recovery", () => {
  it("re-queues a job orphaned by a crash, after the store is closed and reopened", () => {
    const path = scratchDb();
    const time = clock();
    const before = open(path, time.now);
    const { job } = before.enqueue(request({ deliveryId: "d-crash" }));
    before.claim("dead-worker", LIMITS);
    before.heartbeat(job.id, "dead-worker", "repair");
    before.close();
    opened.splice(opened.indexOf(before), 1);

    time.advance(10 * 60_000);
    const after = open(path, time.now);
    expect(after.recoverStale({ staleAfterMs: 5 * 60_000, maxAttempts: 3 })).toEqual({
      requeued: [job.id],
      failed: [],
    });
    expect(after.enqueue(request({ deliveryId: "d-crash" }))).toMatchObject({ created: false });
    expect(after.finish(job.id, "dead-worker", "done")).toBe(false); // the old worker lost it
    const resumed = after.claim("new-worker", LIMITS);
    expect(resumed).toMatchObject({ id: job.id, attempts: 2, stage: undefined, workerId: "new-worker" });
  });

  it("leaves fresh running jobs alone and fails a job that keeps orphaning", () => {
    const time = clock();
    const store = open(":memory:", time.now);
    const doomed = store.enqueue(request({ issueNumber: 1 })).job;
    const alive = store.enqueue(request({ issueNumber: 2 })).job;
    const recovery = { staleAfterMs: 60_000, maxAttempts: 2 };
    for (let attempt = 1; attempt <= 2; attempt++) {
      store.claim(`w${attempt}`, LIMITS);
      if (attempt === 1) store.claim("alive-worker", LIMITS);
      time.advance(120_000);
      store.heartbeat(alive.id, "alive-worker");
      const result = store.recoverStale(recovery);
      expect(result).toEqual(
        attempt === 1 ? { requeued: [doomed.id], failed: [] } : { requeued: [], failed: [doomed.id] },
      );
    }
    expect(store.get(doomed.id)).toMatchObject({ state: "failed", attempts: 2 });
    expect(store.get(doomed.id)?.reason).toMatch(/stopped responding 2 time/);
    expect(store.get(alive.id)).toMatchObject({ state: "running", attempts: 1 });
  });
});

describe("runsInLastHour", () => {
  it("counts the repository's starts within the last hour", () => {
    const time = clock();
    const store = open(":memory:", time.now);
    for (const issueNumber of [1, 2]) {
      store.enqueue(request({ issueNumber }));
      const job = store.claim("w", LIMITS);
      store.finish(job?.id ?? -1, "w", "done");
      time.advance(40 * 60_000);
    }
    store.enqueue(request({ repository: "octo/other" }));
    store.claim("w", LIMITS);
    expect(store.runsInLastHour("octo/repo")).toBe(1); // the first started 80 minutes ago
    expect(store.runsInLastHour("octo/other")).toBe(1);
    expect(store.runsInLastHour("nobody/none")).toBe(0);
  });
});

describe("jobDbPath", () => {
  it("reads AUTOFIX_DB, defaulting to .autofix/autofix.db under the working directory", () => {
    expect(jobDbPath(readEnvironment({}), "/srv/app")).toBe("/srv/app/.autofix/autofix.db");
    expect(jobDbPath(readEnvironment({ AUTOFIX_DB: "data/jobs.db" }), "/srv/app")).toBe(
      "/srv/app/data/jobs.db",
    );
    expect(jobDbPath(readEnvironment({ AUTOFIX_DB: ":memory:" }), "/srv/app")).toBe(":memory:");
  });

  it("explains an unusable path", () => {
    const fileAsDir = join(scratchDb(), "..", "..", "a-file");
    open(fileAsDir).close(); // creates the file, so it cannot be a directory below
    opened.pop();
    expect(() => openSqliteJobStore({ path: join(fileAsDir, "jobs.db") })).toThrow(
      expect.objectContaining({ code: "job_db_unavailable", hint: expect.stringMatching(/AUTOFIX_DB/) }),
    );
  });
});
