import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { AutofixError } from "../../src/errors.ts";
import { octokitForge } from "../../src/forge/octokit-forge.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

function forgeOn(github: FakeGitHub) {
  const octokit = new ProbotOctokit({
    auth: { token: "ghs_test" },
    baseUrl: github.apiRoot.href.replace(/\/$/, ""),
    request: { fetch: github.fetch },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  return octokitForge({ octokit, owner: "o", repo: "r", botLogin: github.botUser.login });
}

describe("Forge.readIssue", () => {
  it("reads the issue and its comments, marking bots", async () => {
    const github = new FakeGitHub({ apiRoot: "https://ghe.example.test/api/v3" });
    const reporter = { login: "reporter", id: 1, type: "User" as const };
    github.issues.set("o/r#3", { title: "Crash", body: "It crashes.", state: "open", user: reporter });
    github.comments.set("o/r#3", [
      { id: 1, body: "Same here.", user: reporter, created_at: "", updated_at: "" },
      { id: 2, body: "status", user: github.botUser, created_at: "", updated_at: "" },
    ]);
    expect(await forgeOn(github).readIssue(3)).toEqual({
      number: 3,
      title: "Crash",
      body: "It crashes.",
      state: "open",
      author: "reporter",
      association: "NONE",
      comments: [
        { author: "reporter", association: "NONE", isBot: false, body: "Same here." },
        { author: github.botUser.login, association: "NONE", isBot: true, body: "status" },
      ],
    });
  });

  it("an issue GitHub does not serve is issue_unreadable, naming the issue", async () => {
    const github = new FakeGitHub({ apiRoot: "https://ghe.example.test/api/v3" });
    const error = await forgeOn(github)
      .readIssue(4)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutofixError);
    expect(error).toMatchObject({ code: "issue_unreadable", message: "could not read issue #4 of o/r" });
  });
});
