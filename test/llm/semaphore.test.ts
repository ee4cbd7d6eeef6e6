import { describe, expect, it } from "vitest";
import { Semaphore } from "../../src/llm/semaphore.ts";

describe("Semaphore", () => {
  it("grants at most `limit` slots, in arrival order", async () => {
    const semaphore = new Semaphore(2);
    const order: string[] = [];
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    const c = semaphore.acquire().then((release) => {
      order.push("c");
      return release;
    });
    const d = semaphore.acquire().then((release) => {
      order.push("d");
      return release;
    });
    expect([semaphore.active, semaphore.waiting]).toEqual([2, 2]);
    a();
    a(); // a second release of the same slot is ignored
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(["c", "d"]);
    expect([semaphore.active, semaphore.waiting]).toEqual([0, 0]);
  });

  it("drops an aborted waiter from the queue, rejecting with the signal's reason", async () => {
    const semaphore = new Semaphore(1);
    const held = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(semaphore.waiting).toBe(0);
    held();
    expect(semaphore.active).toBe(0);
    await expect(semaphore.acquire(controller.signal)).rejects.toThrow("stop");
  });
});
