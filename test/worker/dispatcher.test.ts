import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Delivery } from "../../src/jobs/inbox.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { type Dispatcher, dispatchDue, startDispatcher } from "../../src/worker/dispatcher.ts";

const log = pino({ level: "silent" });
const stores: JobStore[] = [];
const dispatchers: Dispatcher[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  for (const store of stores.splice(0)) store.close();
});

function inbox(...ids: [string, string][]): JobStore {
  const store = openSqliteJobStore({ path: ":memory:" });
  stores.push(store);
  for (const [deliveryId, subject] of ids) {
    store.recordDelivery({ deliveryId, subject, event: "issues.labeled", payload: "{}" });
  }
  return store;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the dispatcher", () => {
  it("decides every recorded delivery once, never two of one issue at the same time", async () => {
    const store = inbox(["a1", "#1"], ["b1", "#2"], ["a2", "#1"], ["c1", "#3"], ["a3", "#1"]);
    const seen: string[] = [];
    const busy = new Set<string>();
    let overlap = false;
    const handle = async (d: Delivery) => {
      if (busy.has(d.subject)) overlap = true;
      busy.add(d.subject);
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy.delete(d.subject);
      seen.push(d.deliveryId);
    };
    dispatchers.push(startDispatcher({ inbox: store, handle, log, concurrency: 3, pollMs: 5 }));
    await until(() => store.countDeliveries().done === 5);
    expect(overlap).toBe(false);
    expect(seen.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    expect([...seen].sort()).toEqual(["a1", "a2", "a3", "b1", "c1"]);
  });

  it("retries a failing delivery with backoff, then fails it for good after maxAttempts", async () => {
    const store = inbox(["flaky", "#1"], ["broken", "#2"]);
    const calls: Record<string, number> = {};
    const handle = async (d: Delivery) => {
      calls[d.deliveryId] = (calls[d.deliveryId] ?? 0) + 1;
      if (d.deliveryId === "broken" || (calls[d.deliveryId] ?? 0) < 3)
        throw new Error(`502 on ${d.deliveryId}`);
    };
    const backoffs: number[] = [];
    const backoffMs = (attempt: number) => {
      backoffs.push(attempt);
      return 10;
    };
    dispatchers.push(startDispatcher({ inbox: store, handle, log, pollMs: 5, maxAttempts: 4, backoffMs }));
    await until(() => store.countDeliveries().pending === 0);
    expect(store.delivery("flaky")).toMatchObject({ state: "done", attempts: 3 });
    expect(store.delivery("broken")).toMatchObject({ state: "failed", attempts: 4, error: "502 on broken" });
    expect(calls).toEqual({ flaky: 3, broken: 4 });
    expect(backoffs.filter((a) => a >= 4)).toEqual([]);
  });

  it("wakes at once when told a delivery was recorded", async () => {
    const store = inbox();
    const done: string[] = [];
    const dispatcher = startDispatcher({
      inbox: store,
      handle: async (d) => void done.push(d.deliveryId),
      log,
      pollMs: 60_000,
    });
    dispatchers.push(dispatcher);
    store.recordDelivery({ deliveryId: "late", subject: "#1", event: "issues.labeled", payload: "{}" });
    dispatcher.wake();
    await until(() => done.length === 1, 5_000);
  });

  it("dispatchDue drains what is due and leaves a failed delivery for later", async () => {
    const store = inbox(["ok", "#1"], ["bad", "#2"]);
    const handle = async (d: Delivery) => {
      if (d.deliveryId === "bad") throw new Error("nope");
    };
    expect(await dispatchDue({ inbox: store, handle, log })).toBe(2);
    expect(store.countDeliveries()).toEqual({ pending: 1, done: 1, failed: 0 });
    expect(store.delivery("bad")?.dueAt).toBeGreaterThan(Date.now());
  });
});
