import type { Context } from "probot";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRecorded } from "../../src/app/dispatch.ts";
import {
  harness,
  issueCommentExample,
  issuesLabeledExample,
  type LabeledPayload,
  testPrivateKey,
} from "./helpers.ts";

// What the webhook request itself does: record and answer, with no GitHub request. The decisions are
// the dispatcher's (the other handler tests drain the inbox after each delivery).

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const installation = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

function labeled(overrides: { senderType?: string } = {}) {
  const payload = structuredClone(example);
  payload.label.name = "autofix";
  payload.sender.type = overrides.senderType ?? "User";
  payload.installation = installation;
  return payload as unknown as Context<"issues.labeled">["payload"];
}

describe("the webhook request", () => {
  it("records a label in the inbox and asks GitHub nothing; a redelivery records nothing new", async () => {
    const h = await harness(example, privateKey);
    for (let i = 0; i < 5; i++) await h.probot.receive({ id: "d-1", name: "issues", payload: labeled() });

    expect(h.github.requests).toEqual([]);
    expect(h.jobs.countDeliveries()).toEqual({ pending: 1, done: 0, failed: 0 });
    const recorded = h.jobs.delivery("d-1");
    expect(recorded).toMatchObject({
      event: "issues.labeled",
      subject: `${h.repository}#${example.issue.number}`,
    });
    expect(parseRecorded(recorded?.payload ?? "")).toEqual({
      kind: "labeled",
      installationId: installation.id,
      owner: example.repository.owner.login,
      repo: example.repository.name,
      event: {
        issueNumber: example.issue.number,
        labelName: "autofix",
        senderType: "User",
        senderLogin: example.sender.login,
        deliveryId: "d-1",
        installationId: installation.id,
      },
    });
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
  });

  it("records nothing for a bot's label, a comment that is no command, or a delivery without installation", async () => {
    const h = await harness(example, privateKey);
    await h.probot.receive({ id: "bot", name: "issues", payload: labeled({ senderType: "Bot" }) });
    const comment = { ...issueCommentExample(), installation };
    comment.comment.body = "Thanks, looks good";
    await h.probot.receive({
      id: "chat",
      name: "issue_comment",
      payload: comment as unknown as Context<"issue_comment.created">["payload"],
    });
    const orphan = { ...labeled(), installation: undefined };
    await h.probot.receive({ id: "orphan", name: "issues", payload: orphan });

    expect(h.jobs.countDeliveries()).toEqual({ pending: 0, done: 0, failed: 0 });
    expect(h.github.requests).toEqual([]);
  });

  it("a burst of labels for one issue, decided later: one 👀 POST and one job", async () => {
    const h = await harness(example, privateKey);
    h.github.permissions.set(`${h.repository}:${example.sender.login}`, "write");
    for (let i = 0; i < 10; i++)
      await h.probot.receive({ id: `burst-${i}`, name: "issues", payload: labeled() });
    await h.comment("/autofix status"); // drains the inbox, as the dispatcher would

    expect(h.jobs.countDeliveries()).toEqual({ pending: 0, done: 11, failed: 0 });
    expect(h.github.writes().filter((r) => r.path.endsWith("/reactions"))).toHaveLength(1);
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toHaveLength(1);
  });
});
