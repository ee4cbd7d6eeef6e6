import { afterEach, describe, expect, it } from "vitest";
import type { EnqueueRequest, JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

// The narrow queries the App's caps, metrics and shutdown use, on the real SQLite store in memory.

const LIMITS = { perInstallation: 10, perRepository: 10 };
const opened: JobStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

function open(now?: () => number): JobStore {
  const store = openSqliteJobStore({ path: ":memory:", ...(now ? { now } : {}) });
  opened.push(store);
  return store;
}

let next = 0;
function request(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    deliveryId: `q-${++next}`,
    installationId: 1,
    repository: "octo/repo",
    issueNumber: 7,
    trigger: "label",
    triggeredBy: "octocat",
    ...overrides,
  };
}

describe("release", () => {
  it("puts a shutting-down worker's running jobs back in the queue, not counting the attempt", () => {
    const store = open();
    store.enqueue(request({ issueNumber: 1 }));
    store.enqueue(request({ issueNumber: 2 }));
    store.enqueue(request({ issueNumber: 3 }));
    const mine = store.claim("w-1", LIMITS);
    const theirs = store.claim("w-2", LIMITS);
    expect(store.release("w-1")).toEqual([mine?.id]);

    expect(store.get(mine?.id ?? 0)).toMatchObject({ state: "queued", attempts: 0, workerId: undefined });
    expect(store.get(theirs?.id ?? 0)).toMatchObject({ state: "running", workerId: "w-2" });
    // The released worker can no longer heartbeat or finish it; the next claim takes it again.
    expect(store.heartbeat(mine?.id ?? 0, "w-1")).toBe(false);
    expect(store.finish(mine?.id ?? 0, "w-1", "done")).toBe(false);
    expect(store.claim("w-3", LIMITS)?.id).toBe(mine?.id);
    expect(store.get(mine?.id ?? 0)?.attempts).toBe(1);
  });

  it("leaves finished and cancelled jobs alone", () => {
    const store = open();
    store.enqueue(request());
    const job = store.claim("w-1", LIMITS);
    store.cancel("octo/repo", 7, "stopped");
    expect(store.release("w-1")).toEqual([]);
    expect(store.get(job?.id ?? 0)?.state).toBe("cancelled");
  });
});

describe("countByState", () => {
  it("counts every state, zero included, over all repositories or one", () => {
    const store = open();
    store.enqueue(request({ issueNumber: 1 }));
    store.enqueue(request({ issueNumber: 2 }));
    store.enqueue(request({ repository: "octo/other" }));
    store.claim("w", LIMITS);
    store.cancel("octo/repo", 2, "stopped");

    expect(store.countByState()).toEqual({
      queued: 1,
      running: 1,
      done: 0,
      abstained: 0,
      failed: 0,
      cancelled: 1,
    });
    expect(store.countByState("octo/other")).toMatchObject({ queued: 1, running: 0, cancelled: 0 });
    expect(store.countByState("nobody/none")).toMatchObject({ queued: 0, running: 0 });
  });
});

describe("recentRunStarts", () => {
  it("lists the starts of the last hour, oldest first, per repository", () => {
    let t = 1_700_000_000_000;
    const store = open(() => t);
    for (const issueNumber of [1, 2, 3]) {
      store.enqueue(request({ issueNumber }));
      const job = store.claim("w", LIMITS);
      store.finish(job?.id ?? 0, "w", "done");
      t += 25 * 60_000;
    }
    // Starts at minutes 0, 25 and 50; now is minute 75: the first one has left the window.
    expect(store.recentRunStarts("octo/repo")).toEqual([
      1_700_000_000_000 + 25 * 60_000,
      1_700_000_000_000 + 50 * 60_000,
    ]);
    expect(store.runsInLastHour("octo/repo")).toBe(2);
    expect(store.recentRunStarts("octo/other")).toEqual([]);
  });
});

describe("byDelivery", () => {
  it("finds the job a delivery created or joined, and nothing for an unknown one", () => {
    const store = open();
    const first = store.enqueue(request({ deliveryId: "a" }));
    store.enqueue(request({ deliveryId: "b" })); // joins the active job for the same issue
    expect(store.byDelivery("a")?.id).toBe(first.job.id);
    expect(store.byDelivery("b")?.id).toBe(first.job.id);
    expect(store.byDelivery("c")).toBeUndefined();
  });
});
