import { beforeAll, describe, expect, it } from "vitest";
import { CAP_MARKER } from "../../src/app/caps.ts";
import { harness, issuesLabeledExample, type LabeledPayload, testPrivateKey } from "./helpers.ts";

// The repository caps through `probot.receive` (GitHub's example payloads, the fake GitHub — see
// test/fakes/fake-github.ts for why it is fake — and the real job store in memory).

let privateKey: string;
let example: LabeledPayload;
beforeAll(() => {
  privateKey = testPrivateKey();
  example = issuesLabeledExample();
});

const CONFIG = ".github/autofix.yml";
const LIMITS = { perInstallation: 9, perRepository: 9 };
type H = Awaited<ReturnType<typeof harness>>;

/** Runs of other issues of the repository that started just now. */
function startOtherRuns(h: H, count: number): void {
  for (let i = 0; i < count; i++) {
    h.jobs.enqueue({
      deliveryId: `other-${i}`,
      installationId: 4242,
      repository: h.repository,
      issueNumber: 9000 + i,
      trigger: "label",
      triggeredBy: "someone",
    });
    h.jobs.claim("w", LIMITS);
  }
}

const capComments = (h: H) =>
  (h.github.comments.get(h.issueKey) ?? []).filter((c) => c.body.includes(CAP_MARKER));

function openPull(h: H, ref: string, options: { state?: "open" | "closed"; fork?: boolean } = {}): void {
  const list = h.github.pulls.get(h.repository) ?? [];
  const repo = { full_name: options.fork ? "someone/fork" : h.repository };
  list.push({ number: list.length + 1, state: options.state ?? "open", head: { ref, repo } });
  h.github.pulls.set(h.repository, list);
}

describe("caps.runsPerHour", () => {
  it("refuses a run past the cap with one comment naming the cap and when to try again", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  runsPerHour: 2\n");
    startOtherRuns(h, 2);
    const before = Date.now();
    await h.label("autofix", { id: "l-1" });

    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
    expect(h.github.reactions.get(h.issueKey) ?? []).toEqual([]);
    const [comment, ...more] = capComments(h);
    expect(more).toEqual([]);
    expect(comment?.body).toContain("**2 runs per hour** (`caps.runsPerHour`), and 2 started");
    const at = /Try again after (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(comment?.body ?? "")?.[1];
    const retryAt = Date.parse(`${at?.replace(" ", "T")}:00Z`);
    expect(retryAt).toBeGreaterThan(before + 58 * 60_000);
    expect(retryAt).toBeLessThan(Date.now() + 61 * 60_000);

    // Another label and a retry: the same comment, not a second one.
    await h.label("autofix", { id: "l-2" });
    await h.comment("/autofix retry");
    expect(capComments(h)).toHaveLength(1);
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
  });

  it("marks its comment as past once a later run starts (and leaves other comments alone)", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  runsPerHour: 1\n");
    startOtherRuns(h, 1);
    await h.label("autofix", { id: "refused" });
    expect(capComments(h)[0]?.body).toContain("did not start");

    h.github.setFile(h.repository, CONFIG, "caps:\n  runsPerHour: 3\n");
    await h.label("autofix", { id: "allowed" });
    const [job] = h.jobs.forIssue(h.repository, example.issue.number);
    expect(job?.state).toBe("queued");
    expect(capComments(h)).toHaveLength(1);
    expect(capComments(h)[0]?.body).toContain(
      `~~autofix did not start: a repository cap was reached~~ — the cap allowed a run later (job ${job?.id}).`,
    );
    expect(h.github.comments.get(h.issueKey)).toHaveLength(1);
  });

  it("counts queued jobs as runs about to start", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  runsPerHour: 1\n");
    h.jobs.enqueue({
      deliveryId: "queued-elsewhere",
      installationId: 4242,
      repository: h.repository,
      issueNumber: 8000,
      trigger: "label",
      triggeredBy: "someone",
    });
    await h.label("autofix");
    expect(capComments(h)).toHaveLength(1);
  });

  it("lets a run start under the cap, and a redelivery of it is not refused afterwards", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  runsPerHour: 2\n");
    startOtherRuns(h, 1);
    await h.label("autofix", { id: "under" });
    await h.label("autofix", { id: "under" }); // now 2 of 2 are used, but this is the same delivery
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toHaveLength(1);
    expect(capComments(h)).toEqual([]);
    expect(h.github.reactions.get(h.issueKey)).toHaveLength(1);
  });
});

describe("caps.maxOpenPullRequests", () => {
  it("refuses when the repository has that many open autofix pull requests, listing them", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  maxOpenPullRequests: 2\n");
    openPull(h, "autofix/issue-101");
    openPull(h, "autofix/issue-102");
    await h.label("autofix");

    const [comment] = capComments(h);
    expect(comment?.body).toContain("**2 open autofix pull requests** (`caps.maxOpenPullRequests`)");
    expect(comment?.body).toContain("`autofix/issue-101`, `autofix/issue-102`");
    expect(comment?.body).toContain("after one of them is merged or closed");
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toEqual([]);
  });

  it("does not count closed PRs, other branches, forks, or this issue's own PR (a run updates it)", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(h.repository, CONFIG, "caps:\n  maxOpenPullRequests: 1\n");
    openPull(h, "autofix/issue-101", { state: "closed" });
    openPull(h, "feature/login");
    openPull(h, "autofix/issue-103", { fork: true });
    openPull(h, `autofix/issue-${example.issue.number}`);
    await h.label("autofix");
    expect(capComments(h)).toEqual([]);
    expect(h.jobs.forIssue(h.repository, example.issue.number)).toHaveLength(1);
  });

  it("counts by the configured branch prefix", async () => {
    const h = await harness(example, privateKey);
    h.github.setFile(
      h.repository,
      CONFIG,
      "caps:\n  maxOpenPullRequests: 1\npullRequest:\n  branchPrefix: bots/fix-\n",
    );
    openPull(h, "autofix/issue-101");
    await h.label("autofix");
    expect(capComments(h)).toEqual([]);

    const other = await harness(example, privateKey);
    other.github.setFile(
      other.repository,
      CONFIG,
      "caps:\n  maxOpenPullRequests: 1\npullRequest:\n  branchPrefix: bots/fix-\n",
    );
    openPull(other, "bots/fix-issue-101");
    await other.label("autofix");
    expect(capComments(other)).toHaveLength(1);
  });
});
