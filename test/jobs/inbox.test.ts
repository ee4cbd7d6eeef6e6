import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { NewDelivery } from "../../src/jobs/inbox.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";

// The JobStore contract, inbox half: webhook deliveries recorded by the handlers, taken by the dispatcher.

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

function open(now: () => number, path = ":memory:"): JobStore {
  const store = openSqliteJobStore({ path, now });
  opened.push(store);
  return store;
}

function delivery(deliveryId: string, subject = "octo/repo#1"): NewDelivery {
  return { deliveryId, event: "issues.labeled", subject, payload: JSON.stringify({ deliveryId }) };
}

const LEASE = 60_000;

describe("the delivery inbox", () => {
  it("records a delivery once: a redelivery records nothing new", () => {
    const store = open(clock().now);
    expect(store.recordDelivery(delivery("d-1"))).toBe(true);
    for (let i = 0; i < 50; i++) expect(store.recordDelivery(delivery("d-1"))).toBe(false);
    expect(store.countDeliveries()).toEqual({ pending: 1, done: 0, failed: 0 });
    expect(store.delivery("d-1")).toMatchObject({ state: "pending", attempts: 0, event: "issues.labeled" });
  });

  it("hands out deliveries in the order received, each to one dispatcher, and not again once done", () => {
    const store = open(clock().now);
    for (const id of ["a", "b", "c"]) store.recordDelivery(delivery(id, `octo/repo#${id}`));
    const taken = [store.takeDelivery("one", LEASE), store.takeDelivery("two", LEASE)];
    expect(taken.map((d) => d?.deliveryId)).toEqual(["a", "b"]);
    expect(taken.map((d) => d?.attempts)).toEqual([1, 1]);
    expect(store.settleDelivery("a", "two", { outcome: "done" })).toBe(false); // not its lease
    expect(store.settleDelivery("a", "one", { outcome: "done" })).toBe(true);
    expect(store.settleDelivery("a", "one", { outcome: "done" })).toBe(false);
    expect(store.takeDelivery("one", LEASE)?.deliveryId).toBe("c");
    expect(store.takeDelivery("one", LEASE)).toBeUndefined();
    expect(store.countDeliveries()).toEqual({ pending: 2, done: 1, failed: 0 });
  });

  it("keeps one issue's deliveries in line: the next waits until the earlier one is settled", () => {
    const store = open(clock().now);
    store.recordDelivery(delivery("label", "octo/repo#1"));
    store.recordDelivery(delivery("stop", "octo/repo#1"));
    store.recordDelivery(delivery("other", "octo/repo#2"));
    expect(store.takeDelivery("w", LEASE)?.deliveryId).toBe("label");
    expect(store.takeDelivery("w", LEASE)?.deliveryId).toBe("other");
    expect(store.takeDelivery("w", LEASE)).toBeUndefined();
    store.settleDelivery("label", "w", { outcome: "done" });
    expect(store.takeDelivery("w", LEASE)?.deliveryId).toBe("stop");
  });

  it("retries after the delay, keeping the line; fails for good on request", () => {
    const time = clock();
    const store = open(time.now);
    store.recordDelivery(delivery("flaky"));
    store.recordDelivery(delivery("after"));
    store.takeDelivery("w", LEASE);
    store.settleDelivery("flaky", "w", { outcome: "retry", error: "502", delayMs: 1_000 });
    expect(store.takeDelivery("w", LEASE)).toBeUndefined(); // not due, and "after" waits behind it
    time.advance(1_000);
    expect(store.takeDelivery("w", LEASE)).toMatchObject({ deliveryId: "flaky", attempts: 2, error: "502" });
    store.settleDelivery("flaky", "w", { outcome: "failed", error: "502 again" });
    expect(store.delivery("flaky")).toMatchObject({ state: "failed", error: "502 again" });
    expect(store.takeDelivery("w", LEASE)?.deliveryId).toBe("after");
  });

  it("puts a failed delivery back in line when GitHub redelivers it", () => {
    const store = open(clock().now);
    store.recordDelivery(delivery("d"));
    store.takeDelivery("w", LEASE);
    store.settleDelivery("d", "w", { outcome: "failed", error: "boom" });
    expect(store.recordDelivery(delivery("d"))).toBe(true);
    expect(store.takeDelivery("w", LEASE)).toMatchObject({ deliveryId: "d", state: "pending", attempts: 1 });
  });

  it("survives a killed process: recorded → taken after reopening; taken but unsettled → taken again after the lease", () => {
    const dir = mkdtempSync(join(tmpdir(), "autofix-inbox-"));
    dirs.push(dir);
    const path = join(dir, "autofix.db");
    const time = clock();
    const first = open(time.now, path);
    first.recordDelivery(delivery("recorded"));
    first.recordDelivery(delivery("taken", "octo/repo#2"));
    expect(first.takeDelivery("dead", LEASE)?.deliveryId).toBe("recorded");
    first.close(); // no settle: the process died mid-dispatch
    opened.splice(opened.indexOf(first), 1);

    const second = open(time.now, path);
    expect(second.takeDelivery("alive", LEASE)?.deliveryId).toBe("taken");
    expect(second.takeDelivery("alive", LEASE)).toBeUndefined();
    time.advance(LEASE);
    expect(second.takeDelivery("alive", LEASE)).toMatchObject({ deliveryId: "recorded", attempts: 2 });
    expect(second.settleDelivery("recorded", "dead", { outcome: "done" })).toBe(false);
    expect(second.settleDelivery("recorded", "alive", { outcome: "done" })).toBe(true);
  });

  it("prunes settled deliveries older than the given time, never pending ones", () => {
    const time = clock();
    const store = open(time.now);
    store.recordDelivery(delivery("old-done", "s#1"));
    store.recordDelivery(delivery("old-pending", "s#2"));
    store.takeDelivery("w", LEASE);
    store.settleDelivery("old-done", "w", { outcome: "done" });
    time.advance(10_000);
    store.recordDelivery(delivery("new", "s#3"));
    expect(store.pruneDeliveries(time.now() - 5_000)).toBe(1);
    expect(store.delivery("old-done")).toBeUndefined();
    expect(store.delivery("old-pending")?.state).toBe("pending");
    expect(store.recordDelivery(delivery("old-done", "s#1"))).toBe(true);
  });
});
