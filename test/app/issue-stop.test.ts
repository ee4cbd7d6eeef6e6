import { beforeAll, describe, expect, it } from "vitest";
import { harness, issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";

// Cancelling through `probot.receive`, with GitHub's example payload and the fake GitHub (see
// test/fakes/fake-github.ts for why it is fake), and the real SQLite job store in memory.

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

describe("stopping a queued job", () => {
  it("cancels it when a writer removes the trigger label", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.stop("unlabeled", { label: "AUTOFIX" });
    const [job] = h.jobs.forIssue(h.repository, example.issue.number);
    expect(job?.state).toBe("cancelled");
    expect(job?.reason).toBe(`the trigger label was removed by ${example.sender.login}`);
  });

  it("cancels it when the issue is closed, whoever closes it", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.stop("closed", { role: "read" });
    expect(h.jobs.forIssue(h.repository, example.issue.number).map((j) => j.state)).toEqual(["cancelled"]);
  });

  it("cancels a running job when the issue is closed: its worker can no longer heartbeat or finish it", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    const running = h.jobs.claim("w", { perInstallation: 9, perRepository: 9 });
    await h.stop("closed");
    expect(h.jobs.get(running?.id ?? 0)).toMatchObject({
      state: "cancelled",
      reason: `the issue was closed by ${example.sender.login}`,
    });
    expect(h.jobs.heartbeat(running?.id ?? 0, "w")).toBe(false);
    expect(h.jobs.finish(running?.id ?? 0, "w", "done")).toBe(false);
  });

  it("keeps it for another label, or when the remover has only read access", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.stop("unlabeled", { label: "bug" });
    await h.stop("unlabeled", { role: "read" });
    expect(h.jobs.forIssue(h.repository, example.issue.number).map((j) => j.state)).toEqual(["queued"]);
  });

  it("asks GitHub nothing when the issue has no active job", async () => {
    const h = await harness(example, privateKey);
    await h.stop("unlabeled");
    await h.stop("closed");
    expect(h.github.requests).toEqual([]);
  });

  it("lets a new label start a fresh job after a cancel", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.stop("unlabeled");
    await h.label("autofix");
    expect(h.jobs.forIssue(h.repository, example.issue.number).map((j) => j.state)).toEqual([
      "queued",
      "cancelled",
    ]);
  });
});
