import { Octokit } from "@octokit/rest";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { testPrivateKey } from "../app/helpers.ts";
import { GitHubStandIn } from "../support/github-stand-in/server.ts";

// The stand-in must reject what GitHub would reject, or the end-to-end tests prove nothing.

let privateKey: string;
beforeAll(() => {
  privateKey = testPrivateKey();
});
const running: GitHubStandIn[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/** Octokit logs every 4xx; these tests provoke them on purpose. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function standInWithToken(): Promise<{ github: GitHubStandIn; octokit: Octokit }> {
  const github = new GitHubStandIn({ appId: 1, privateKeyPem: privateKey });
  running.push(github);
  await github.start();
  const baseUrl = `http://${github.host}/api/v3`;
  const jwt = await appJwt(privateKey);
  const app = new Octokit({ baseUrl, auth: jwt, log: quiet });
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: 7 });
  return { github, octokit: new Octokit({ baseUrl, auth: data.token, log: quiet }) };
}

async function appJwt(key: string): Promise<string> {
  const { createSign } = await import("node:crypto");
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 300, iss: 1 })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key, "base64url")}`;
}

const issue = { owner: "octo", repo: "repo", issue_number: 3 };

/** Octokit's request without its typings: these tests send requests its types would refuse. */
function untyped(octokit: Octokit): (route: string, params?: Record<string, unknown>) => Promise<unknown> {
  return octokit.request as (route: string, params?: Record<string, unknown>) => Promise<unknown>;
}

describe("GitHub API stand-in", () => {
  it("serves valid requests and records no violation", async () => {
    const { github, octokit } = await standInWithToken();
    await octokit.rest.reactions.createForIssue({ ...issue, content: "eyes" });
    const { data } = await octokit.rest.reactions.listForIssue({ ...issue, content: "eyes", per_page: 100 });
    expect(data.map((r) => r.content)).toEqual(["eyes"]);
    github.state.permissions.set("octo/repo:alice", "maintain");
    const permission = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: "octo",
      repo: "repo",
      username: "alice",
    });
    expect(permission.data.role_name).toBe("maintain");
    expect(github.violations).toEqual([]);
  });

  it("rejects a body the API would reject (422) and records the violation", async () => {
    const { github, octokit } = await standInWithToken();
    const bad = { ...issue, content: "smile" } as unknown as Parameters<
      typeof octokit.rest.reactions.createForIssue
    >[0];
    await expect(octokit.rest.reactions.createForIssue(bad)).rejects.toMatchObject({ status: 422 });
    await expect(
      untyped(octokit)("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...issue }),
    ).rejects.toMatchObject({ status: 422 });
    expect(github.violations.map((v) => v.problems)).toEqual([
      [expect.stringContaining('"smile" is not one of')],
      ["body: required"],
    ]);
    expect(github.state.reactions.size).toBe(0);
  });

  it("rejects wrong types, bad query values and unknown operations", async () => {
    const { github, octokit } = await standInWithToken();
    await expect(
      untyped(octokit)("POST /repos/{owner}/{repo}/pulls", {
        owner: "octo",
        repo: "repo",
        head: "x",
        base: "main",
        draft: "yes",
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request("GET /repos/{owner}/{repo}/pulls?state=merged", { owner: "octo", repo: "repo" }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/merge", issue),
    ).rejects.toMatchObject({ status: 404 });
    expect(github.violations.map((v) => v.problems.join(" | "))).toEqual([
      expect.stringContaining("body.draft: expected"),
      expect.stringContaining("query state"),
      expect.stringContaining("no operation POST /repos/octo/repo/issues/3/merge"),
    ]);
  });

  it("asks for credentials: a forged JWT and an unknown token are refused", async () => {
    const { github } = await standInWithToken();
    const baseUrl = `http://${github.host}/api/v3`;
    const forged = new Octokit({ baseUrl, auth: await appJwt(testPrivateKey()), log: quiet });
    await expect(forged.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    const stranger = new Octokit({ baseUrl, auth: "ghs_not_issued", log: quiet });
    await expect(stranger.rest.issues.listComments(issue)).rejects.toMatchObject({ status: 401 });
  });
});
