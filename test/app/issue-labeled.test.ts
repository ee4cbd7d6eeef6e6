import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_PROBLEMS_MARKER } from "../../src/app/config-comment.ts";
import { harness, issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";

// Handler tests through `probot.receive` (Probot's documented unit-test path), with GitHub's example
// payload and a fake GitHub behind Octokit's fetch (see test/fakes/fake-github.ts for why it is fake).

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const CONFIG = ".github/autofix.yml";

describe("issues.labeled", () => {
  it("answers the trigger label with exactly one 👀 on the issue", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix");

    const writes = h.github.writes().filter((r) => !r.path.startsWith("/app/installations/"));
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/${h.repository}/issues/${example.issue.number}/reactions`,
    ]);
    expect(writes[0]?.body).toEqual({ content: "eyes" });
    expect(h.github.reactions.get(h.issueKey)?.map((r) => r.user.login)).toEqual(["autofix-test[bot]"]);
    // No config anywhere: the repo's file, then the owner's .github repository, were both asked for.
    const owner = example.repository.owner.login;
    expect(h.github.requests.filter((r) => r.path.includes("/contents/")).map((r) => r.path)).toEqual([
      `/repos/${h.repository}/contents/${CONFIG}`,
      `/repos/${owner}/.github/contents/${CONFIG}`,
    ]);
    // Every request went to the configured API root (GHE-style here): nothing of ours names github.com.
    expect(new Set(h.github.requests.map((r) => r.url.origin))).toEqual(
      new Set(["https://ghe.example.test"]),
    );
    expect(h.github.unhandled).toEqual([]);
  });

  it("does not react twice when the delivery comes again", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix", { id: "same-delivery" });
    await h.label("autofix", { id: "same-delivery" });

    const posts = h.github.writes().filter((r) => r.path.endsWith("/reactions"));
    expect(posts).toHaveLength(1);
    expect(h.github.reactions.get(h.issueKey)).toHaveLength(1);
  });

  it("adds its own 👀 even when a person already reacted with 👀", async () => {
    const h = await harness(example, privateKey);
    h.github.addReaction(h.issueKey, "eyes", { login: "octocat", id: 1, type: "User" });
    await h.label("autofix");

    expect(h.github.writes().filter((r) => r.path.endsWith("/reactions"))).toHaveLength(1);
    expect(h.github.reactions.get(h.issueKey)?.map((r) => r.user.login)).toEqual([
      "octocat",
      "autofix-test[bot]",
    ]);
  });

  it("only reads the config for another label, and touches nothing", async () => {
    const h = await harness(example, privateKey);
    await h.label("bug");

    expect(h.github.writes().filter((r) => !r.path.startsWith("/app/installations/"))).toEqual([]);
    const paths = h.github.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes("/reactions") || p.includes("/comments"))).toBe(false);
    expect(paths.every((p) => p.startsWith("/app") || p.includes("/contents/"))).toBe(true);
  });

  it("matches the trigger label regardless of case, as GitHub names labels", async () => {
    const h = await harness(example, privateKey);
    await h.label("AutoFix");
    expect(h.github.reactions.get(h.issueKey)).toHaveLength(1);
  });

  it("ignores events sent by bots without asking GitHub anything", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix", { senderType: "Bot" });
    expect(h.github.requests).toEqual([]);
  });

  it("queues one job per delivery, and joins redeliveries and new labels to the active job", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix", { id: "d-1" });
    await h.label("autofix", { id: "d-1" });
    await h.label("autofix", { id: "d-2" }); // unlabel + label again while the job is queued
    const jobs = h.jobs.forIssue(h.repository, example.issue.number);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      state: "queued",
      trigger: "label",
      deliveryId: "d-1",
      installationId: 4242,
      triggeredBy: example.sender.login,
    });
  });

  it("queues nothing for other labels, bots or an invalid config", async () => {
    const h = await harness(example, privateKey);
    await h.label("bug");
    await h.label("autofix", { senderType: "Bot" });
    h.github.setFile(h.repository, CONFIG, "bogus: true\n");
    await h.label("autofix");
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
  });

  it("ignores a labeler with only read or triage access: no reaction, no comment", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "bogus: true\n"); // not even the config-problems comment
    for (const role of ["read", "triage"]) await h.label("autofix", { role });

    const sender = example.sender.login;
    const asked = h.github.requests.filter((r) => r.path.endsWith(`/collaborators/${sender}/permission`));
    expect(asked).toHaveLength(2);
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
    expect(h.github.writes().filter((r) => !r.path.startsWith("/app/installations/"))).toEqual([]);
  });

  it("lets write, maintain and admin start a run", async () => {
    for (const role of ["write", "maintain", "admin"]) {
      const h = await harness(example, privateKey);
      await h.label("autofix", { role });
      expect(h.github.reactions.get(h.issueKey), role).toHaveLength(1);
    }
  });

  it("treats someone who is not a collaborator (404) as having no access", async () => {
    const h = await harness(example, privateKey);
    await h.label("autofix", { role: null });
    expect(h.github.reactions.get(h.issueKey) ?? []).toHaveLength(0);
  });

  it("uses the label from the owner's .github config it _extends", async () => {
    const h = await harness(example, privateKey);
    const owner = example.repository.owner.login;
    h.github.setFile(h.repository, CONFIG, "_extends: .github\n");
    h.github.setFile(`${owner}/.github`, CONFIG, "label: please-fix\nrepair:\n  candidatesPerSet: 5\n");

    await h.label("autofix");
    expect(h.github.reactions.get(h.issueKey) ?? []).toHaveLength(0);

    await h.label("please-fix");
    expect(h.github.reactions.get(h.issueKey)).toHaveLength(1);
    expect(h.github.requests.some((r) => r.path === `/repos/${owner}/.github/contents/${CONFIG}`)).toBe(true);
  });

  it("lets the repository's own keys win over the ones it inherits", async () => {
    const h = await harness(example, privateKey);
    const owner = example.repository.owner.login;
    h.github.setFile(h.repository, CONFIG, "_extends: .github\nlabel: repo-label\n");
    h.github.setFile(`${owner}/.github`, CONFIG, "label: org-label\n");

    await h.label("org-label");
    expect(h.github.reactions.get(h.issueKey) ?? []).toHaveLength(0);
    await h.label("repo-label");
    expect(h.github.reactions.get(h.issueKey)).toHaveLength(1);
  });
});

describe("issues.labeled with an invalid config", () => {
  it("comments once, naming the key path, value and what is allowed; edits that comment later", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "localization:\n  maxFiles: -1\nbogus: true\n");

    await h.label("autofix", { id: "first" });
    const comments = () => h.github.comments.get(h.issueKey) ?? [];
    expect(comments()).toHaveLength(1);
    const first = comments()[0]?.body ?? "";
    expect(first).toContain(CONFIG_PROBLEMS_MARKER);
    expect(first).toContain("`localization.maxFiles`");
    expect(first).toMatch(/-1 is too small: must be ≥ 1/);
    expect(first).toMatch(/`bogus`: unknown key; allowed here: .*label/);
    expect(first).toContain(`${h.repository}:${CONFIG}`);
    expect(h.github.writes().some((r) => r.path.endsWith("/reactions"))).toBe(false);

    // The same delivery again: nothing new, nothing edited.
    await h.label("autofix", { id: "first" });
    expect(comments()).toHaveLength(1);
    expect(h.github.writes().filter((r) => r.method === "PATCH")).toHaveLength(0);

    // The config changes and the label comes again: the same comment is edited in place.
    h.github.setFile(h.repository, CONFIG, "bogus: true\n");
    await h.label("autofix", { id: "second" });
    expect(comments()).toHaveLength(1);
    const patches = h.github.writes().filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.path)).toEqual([
      `/repos/${h.repository}/issues/comments/${comments()[0]?.id}`,
    ]);
    expect(comments()[0]?.body).not.toContain("maxFiles");
    expect(comments()[0]?.body).toContain("`bogus`");
    expect(h.github.writes().filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toHaveLength(
      1,
    );
  });

  it("does not mistake a person's comment quoting the marker for its own", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "label: 7\n");
    h.github.comments.set(h.issueKey, [
      {
        id: 1,
        body: `quoting: ${CONFIG_PROBLEMS_MARKER}`,
        user: { login: "octocat", id: 1, type: "User" },
        created_at: "2024-01-01T00:00:00Z",
        updated_at: "2024-01-01T00:00:00Z",
      },
    ]);
    await h.label("autofix");
    const list = h.github.comments.get(h.issueKey) ?? [];
    expect(list.map((c) => c.user.login)).toEqual(["octocat", "autofix-test[bot]"]);
    expect(list[0]?.body).toBe(`quoting: ${CONFIG_PROBLEMS_MARKER}`);
    expect(list[1]?.body).toMatch(/`label`: expected a string, got the number 7/);
  });

  it("reports a config that is not YAML at all", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "label: [unclosed\n");
    await h.label("autofix");
    const body = h.github.comments.get(h.issueKey)?.[0]?.body ?? "";
    expect(body).toContain("invalid YAML");
    expect(h.github.reactions.get(h.issueKey) ?? []).toHaveLength(0);
  });

  it("stays silent for other labels even when the config is broken", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "label: fix-it\nlocalization: 3\n");
    await h.label("autofix");
    await h.label("bug");
    expect(h.github.comments.get(h.issueKey) ?? []).toHaveLength(0);
    await h.label("fix-it");
    expect(h.github.comments.get(h.issueKey)).toHaveLength(1);
  });
});
