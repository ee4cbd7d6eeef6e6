import { beforeAll, describe, expect, it } from "vitest";
import { replyMarker } from "../../src/app/command-replies.ts";
import { CONFIG_PROBLEMS_MARKER } from "../../src/app/config-comment.ts";
import { harness, issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";

// `/autofix` commands through `probot.receive`, with GitHub's example `issue_comment.created` payload,
// the fake GitHub (see test/fakes/fake-github.ts for why it is fake) and the real job store in memory.

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const LIMITS = { perInstallation: 9, perRepository: 9 };
const issue = () => example.issue.number;
const nonAppWrites = (h: Awaited<ReturnType<typeof harness>>) =>
  h.github.writes().filter((r) => !r.path.startsWith("/app/installations/"));

describe("/autofix retry", () => {
  it("queues a run once per comment, answers with 🚀, and a redelivery changes nothing", async () => {
    const h = await harness(example, privateKey);
    await h.comment("/autofix retry", { id: "d-1", commentId: 501 });
    await h.comment("/autofix retry", { id: "d-1", commentId: 501 });
    await h.comment("/autofix retry", { id: "d-other", commentId: 501 }); // same comment, new delivery

    const jobs = h.jobs.forIssue(h.repository, issue());
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: "queued", trigger: "retry", deliveryId: "issue-comment:501" });
    expect(h.github.commentReactions.get(501)?.map((r) => r.content)).toEqual(["rocket"]);
    expect(h.github.comments.get(h.issueKey) ?? []).toEqual([]);
    expect(h.github.unhandled).toEqual([]);
  });

  it("starts a fresh run after the last one finished, keyed by the new comment", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    const first = h.jobs.claim("w", LIMITS);
    h.jobs.finish(first?.id ?? 0, "w", "abstained", "nothing validated");
    await h.comment("@autofix-test retry", { commentId: 502 });
    expect(h.jobs.forIssue(h.repository, issue()).map((j) => [j.trigger, j.state])).toEqual([
      ["retry", "queued"],
      ["label", "abstained"],
    ]);
  });

  it("leaves an active run alone and says so in one reply", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.comment("/autofix retry", { id: "r-1", commentId: 503 });
    await h.comment("/autofix retry", { id: "r-1", commentId: 503 });

    expect(h.jobs.forIssue(h.repository, issue())).toHaveLength(1);
    const replies = (h.github.comments.get(h.issueKey) ?? []).filter((c) =>
      c.body.includes(replyMarker(503)),
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/already queued .*`\/autofix stop`/);
  });

  it("refuses with the config-problems comment when the config is invalid", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, ".github/autofix.yml", "bogus: true\n");
    await h.comment("/autofix retry");
    expect(h.jobs.forIssue(h.repository, issue())).toEqual([]);
    expect(h.github.comments.get(h.issueKey)?.[0]?.body).toContain(CONFIG_PROBLEMS_MARKER);
  });
});

describe("/autofix stop", () => {
  it("cancels the queued job, naming who stopped it, and answers 👍", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    await h.comment("/autofix stop", { commentId: 601, login: "maintainer", role: "maintain" });
    const [job] = h.jobs.forIssue(h.repository, issue());
    expect(job).toMatchObject({ state: "cancelled", reason: "stopped by maintainer with /autofix stop" });
    expect(h.github.commentReactions.get(601)?.map((r) => r.content)).toEqual(["+1"]);
  });

  it("cancels a running job too (the worker sees it at its next heartbeat)", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    const running = h.jobs.claim("w", LIMITS);
    await h.comment("@autofix-test stop");
    expect(h.jobs.get(running?.id ?? 0)?.state).toBe("cancelled");
    expect(h.jobs.heartbeat(running?.id ?? 0, "w")).toBe(false);
  });

  it("replies once that there is nothing to stop", async () => {
    const h = await harness(example, privateKey);
    await h.comment("/autofix stop", { id: "s", commentId: 602 });
    await h.comment("/autofix stop", { id: "s", commentId: 602 });
    const comments = h.github.comments.get(h.issueKey) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("Nothing to stop");
    expect(h.github.writes().filter((r) => r.method === "PATCH")).toEqual([]);
  });
});

describe("/autofix status", () => {
  it("answers a writer with the latest run's state and stage", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    const job = h.jobs.claim("w", LIMITS);
    h.jobs.heartbeat(job?.id ?? 0, "w", "repair");
    await h.comment("/autofix status", { commentId: 701 });
    const body = h.github.comments.get(h.issueKey)?.[0]?.body ?? "";
    expect(body).toContain(replyMarker(701));
    expect(body).toContain(`job ${job?.id} is running (stage: repair)`);
    expect(body).toContain("1 run started in this repository in the last hour");
  });

  it("says when there is no run yet", async () => {
    const h = await harness(example, privateKey);
    await h.comment("/autofix status");
    expect(h.github.comments.get(h.issueKey)?.[0]?.body).toContain("no run for this issue yet");
  });
});

describe("who may give commands", () => {
  it("ignores read, triage and non-collaborators for every command, asking only their permission", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");
    const before = nonAppWrites(h).length;
    for (const [body, role] of [
      ["/autofix stop", "read"],
      ["/autofix retry", "triage"],
      ["/autofix status", null],
    ] as const) {
      await h.comment(body, { login: "outsider", role });
    }
    expect(nonAppWrites(h)).toHaveLength(before);
    expect(h.jobs.forIssue(h.repository, issue()).map((j) => j.state)).toEqual(["queued"]);
    const asked = h.github.requests.filter((r) => r.path.endsWith("/collaborators/outsider/permission"));
    expect(asked).toHaveLength(3);
  });

  it("ignores bots, the App itself, ordinary comments and pull-request comments without a write", async () => {
    const h = await harness(example, privateKey);
    await h.comment("/autofix retry", { senderType: "Bot", login: "dependabot[bot]" });
    await h.comment("/autofix retry", { login: "autofix-test[bot]" });
    await h.comment("Looks good to me");
    await h.comment("/autofix retry", { onPullRequest: true });
    expect(nonAppWrites(h)).toEqual([]);
    expect(h.jobs.forIssue(h.repository, issue())).toEqual([]);
    // An ordinary comment or a bot's costs no request at all.
    expect(h.github.requests.filter((r) => r.path.includes("/collaborators/"))).toEqual([]);
  });
});
