import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AutofixError } from "../../src/errors.ts";
import { type BranchPush, gitBranchPublisher } from "../../src/publish/git-branch.ts";
import { GitHttpServer } from "../support/git-http/server.ts";

// Real git against a real `git http-backend` on loopback; no GitHub involved.

const TOKEN = "ghs_secret_token_value";
const servers: GitHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function server(acceptedToken: string): Promise<GitHttpServer> {
  const git = new GitHttpServer({ authorize: (password) => password === acceptedToken });
  servers.push(git);
  await git.start();
  git.createRepository("o/r", { "a.txt": "one\ntwo\ntwo\n" });
  return git;
}

const push = (git: GitHttpServer, edits: BranchPush["edits"]): BranchPush => ({
  cloneUrl: git.cloneUrl("o/r"),
  token: TOKEN,
  branch: "autofix/issue-1",
  base: "main",
  edits,
  message: "Fix it",
  author: { name: "autofix[bot]", email: "autofix[bot]@users.noreply.example.test" },
});

async function failure(promise: Promise<unknown>): Promise<AutofixError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AutofixError)) throw new Error(`expected an AutofixError, got ${String(error)}`);
  return error;
}

describe("pushing a fix branch", () => {
  it("pushes once, and not again when nothing changed", async () => {
    const git = await server(TOKEN);
    const publisher = gitBranchPublisher();
    const request = push(git, [{ path: "a.txt", search: "one", replace: "ONE" }]);
    const first = await publisher.pushBranch(request);
    expect(first.outcome).toBe("pushed");
    expect(git.git("o/r", "show", "refs/heads/autofix/issue-1:a.txt")).toBe("ONE\ntwo\ntwo\n");
    const second = await publisher.pushBranch(request);
    expect(second).toEqual({ outcome: "unchanged", sha: first.outcome === "pushed" ? first.sha : "" });
  });

  it("refuses an edit whose search text is not there exactly once", async () => {
    const git = await server(TOKEN);
    const error = await failure(
      gitBranchPublisher().pushBranch(push(git, [{ path: "a.txt", search: "two", replace: "2" }])),
    );
    expect(error.code).toBe("edit_does_not_apply");
    expect(error.message).toContain("occurs 2 times");
  });

  it("refuses a path outside the repository", async () => {
    const git = await server(TOKEN);
    const error = await failure(
      gitBranchPublisher().pushBranch(push(git, [{ path: "../escape.txt", search: "x", replace: "y" }])),
    );
    expect(error.code).toBe("edit_outside_repository");
  });

  it("refuses an edit that would write through a symbolic link the repository commits", async () => {
    const git = await server(TOKEN);
    const outside = mkdtempSync(path.join(tmpdir(), "autofix-outside-"));
    writeFileSync(path.join(outside, "x.js"), "x\n");
    git.createRepository("o/linked", { "a.txt": "one\n" }, "main", {
      lib: outside,
      "b.js": path.join(outside, "x.js"),
    });
    for (const edit of [
      { path: "lib/x.js", search: "x", replace: "pwned" },
      { path: "lib/new.js", search: "", replace: "pwned" },
      { path: "b.js", search: "x", replace: "pwned" },
    ]) {
      const error = await failure(
        gitBranchPublisher().pushBranch({ ...push(git, [edit]), cloneUrl: git.cloneUrl("o/linked") }),
      );
      expect(error.code).toBe("edit_outside_repository");
    }
    expect(readFileSync(path.join(outside, "x.js"), "utf8")).toBe("x\n");
    expect(existsSync(path.join(outside, "new.js"))).toBe(false);
  });

  it("a rejected token fails with git's message, and the token appears nowhere in the error", async () => {
    const git = await server("another-token");
    const error = await failure(
      gitBranchPublisher().pushBranch(push(git, [{ path: "a.txt", search: "one", replace: "ONE" }])),
    );
    expect(error.code).toBe("git_failed");
    const everything = JSON.stringify({ message: error.message, hint: error.hint, context: error.context });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString("base64"));
    expect(git.requests.map((r) => r.status)).toContain(401);
  });
});

describe("pushing a validated diff", () => {
  const DIFF =
    "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n-one\n+ONE\n two\n two\n" +
    "diff --git a/new/b.txt b/new/b.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new/b.txt\n@@ -0,0 +1 @@\n+bee\n";

  it("applies the diff on the commit it was validated on, even after the base branch moved", async () => {
    const git = await server(TOKEN);
    const validatedOn = git.git("o/r", "rev-parse", "refs/heads/main").trim();
    git.commitFiles("o/r", "main", { "later.txt": "a human's later commit\n" });
    const pushed = await gitBranchPublisher().pushBranch({
      ...push(git, []),
      diff: DIFF,
      baseCommit: validatedOn,
    });
    expect(pushed.outcome).toBe("pushed");
    const branch = "refs/heads/autofix/issue-1";
    expect(git.git("o/r", "show", `${branch}:a.txt`)).toBe("ONE\ntwo\ntwo\n");
    expect(git.git("o/r", "show", `${branch}:new/b.txt`)).toBe("bee\n");
    expect(git.git("o/r", "rev-parse", `${branch}~1`).trim()).toBe(validatedOn);
    expect(() => git.git("o/r", "show", `${branch}:later.txt`)).toThrow();
  });

  it("creates a file from an edit with an empty search, and refuses one over an existing file", async () => {
    const git = await server(TOKEN);
    const created = await gitBranchPublisher().pushBranch(
      push(git, [{ path: "c.txt", search: "", replace: "sea\n" }]),
    );
    expect(created.outcome).toBe("pushed");
    expect(git.git("o/r", "show", "refs/heads/autofix/issue-1:c.txt")).toBe("sea\n");
    const error = await failure(
      gitBranchPublisher().pushBranch(push(git, [{ path: "a.txt", search: "", replace: "x" }])),
    );
    expect(error.code).toBe("edit_does_not_apply");
  });

  it("a base branch deleted mid-job is BaseBranchGone, not a git failure", async () => {
    const git = await server(TOKEN);
    const error = await failure(
      gitBranchPublisher().pushBranch({ ...push(git, []), base: "gone", diff: DIFF }),
    );
    expect(error.code).toBe("base_branch_gone");
    expect(error.message).toContain("`gone` no longer exists");
  });
});
