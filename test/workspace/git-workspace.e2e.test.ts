import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAutofixError } from "../../src/errors.ts";
import { assertCacheOutside, resolveCacheRoot } from "../../src/workspace/cache-dir.ts";
import { GitWorkspace } from "../../src/workspace/git-workspace.ts";
import { parseRepoSource } from "../../src/workspace/workspace.ts";
import {
  commitAll,
  copyFixture,
  git,
  removeTempDirs,
  tempDir,
  writeFiles,
} from "../code-index/fixture-repo.ts";

afterAll(removeTempDirs);

function twoCommitRepo(): { dir: string; first: string; second: string } {
  const dir = copyFixture("py-shop");
  const first = commitAll(dir, "first");
  writeFiles(dir, { "shop/pricing.py": "def apply_discount(total, kind):\n    return total\n" });
  const second = commitAll(dir, "second");
  return { dir, first, second };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("GitWorkspace", () => {
  it("materializes each commit of a local clone into the cache, leaving the clone untouched", async () => {
    const { dir, first, second } = twoCommitRepo();
    const workspace = new GitWorkspace({ cacheRoot: tempDir() });
    const old = await workspace.materialize({ kind: "local", path: dir }, { commit: first });
    const now = await workspace.materialize({ kind: "local", path: dir }, { commit: second.slice(0, 10) });
    expect(old.commit).toBe(first);
    expect(now.commit).toBe(second);
    expect(readFileSync(join(old.root, "shop/pricing.py"), "utf8")).toContain("RATES");
    expect(readFileSync(join(now.root, "shop/pricing.py"), "utf8")).not.toContain("RATES");
    expect(old.root.startsWith(workspace.cacheRoot)).toBe(true);
    expect(existsSync(join(old.root, ".git"))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  it("serves a second request for the same repo and commit from the cache, and release drops it", async () => {
    const { dir, second } = twoCommitRepo();
    const workspace = new GitWorkspace({ cacheRoot: tempDir() });
    const cold = await workspace.materialize({ kind: "local", path: dir }, { commit: second });
    const warm = await workspace.materialize({ kind: "local", path: dir });
    expect(cold.cached).toBe(false);
    expect(warm).toMatchObject({ cached: true, root: cold.root, commit: second });
    await workspace.release(warm);
    expect(existsSync(warm.root)).toBe(false);
  });

  it("reads bare mirrors and fetches one commit from a URL", async () => {
    const { dir, first } = twoCommitRepo();
    const bare = join(tempDir(), "shop.git");
    git(dir, "clone", "--quiet", "--bare", dir, bare);
    const workspace = new GitWorkspace({ cacheRoot: tempDir() });
    const fromBare = await workspace.materialize({ kind: "local", path: bare }, { commit: first });
    expect(readFileSync(join(fromBare.root, "shop/cart.py"), "utf8")).toContain("class Cart");
    const fresh = new GitWorkspace({ cacheRoot: tempDir() });
    const fromUrl = await fresh.materialize({ kind: "remote", url: `file://${bare}` }, { commit: first });
    expect(fromUrl).toMatchObject({ commit: first, cached: false });
    expect(readFileSync(join(fromUrl.root, "shop/cart.py"), "utf8")).toContain("class Cart");
    expect(existsSync(join(fresh.cacheRoot, "mirrors"))).toBe(true);
  });

  it("says clearly when the commit does not exist", async () => {
    const { dir } = twoCommitRepo();
    const workspace = new GitWorkspace({ cacheRoot: tempDir() });
    for (const source of [
      { kind: "local" as const, path: dir },
      { kind: "remote" as const, url: `file://${dir}` },
    ]) {
      const error = await rejection(
        workspace.materialize(source, { commit: "0123456789abcdef0123456789abcdef01234567" }),
      );
      expect(isAutofixError(error) && error.code).toBe("workspace.commit_not_found");
      expect(String(error)).toContain("0123456789abcdef0123456789abcdef01234567");
    }
  });

  it("refuses a directory that is not a repository", async () => {
    const workspace = new GitWorkspace({ cacheRoot: tempDir() });
    const notRepo = await rejection(workspace.materialize({ kind: "local", path: tempDir() }));
    expect(isAutofixError(notRepo) && notRepo.code).toBe("workspace.repo_not_found");
    const missing = await rejection(workspace.materialize({ kind: "local", path: "/nonexistent/repo" }));
    expect(isAutofixError(missing) && missing.code).toBe("workspace.repo_not_found");
  });
});

describe("cache directory", () => {
  it("comes from the option, then AUTOFIX_CACHE_DIR, then XDG_CACHE_HOME, then the home directory", () => {
    expect(resolveCacheRoot("/x/y", { AUTOFIX_CACHE_DIR: "/a" })).toBe("/x/y");
    expect(resolveCacheRoot(undefined, { AUTOFIX_CACHE_DIR: "/a", XDG_CACHE_HOME: "/b" })).toBe("/a");
    expect(resolveCacheRoot(undefined, { XDG_CACHE_HOME: "/b" })).toBe("/b/autofix");
    expect(resolveCacheRoot(undefined, {})).toMatch(/\.cache\/autofix$|autofix-cache$/);
  });

  it("is never inside the repository", () => {
    expect(() => assertCacheOutside("/repo/.cache", "/repo")).toThrow(/inside the repository/);
    expect(() => assertCacheOutside("/repo-cache", "/repo")).not.toThrow();
  });

  it("tells URLs from local paths", () => {
    expect(parseRepoSource("https://github.com/psf/requests")).toEqual({
      kind: "remote",
      url: "https://github.com/psf/requests",
    });
    expect(parseRepoSource("git@github.com:psf/requests.git").kind).toBe("remote");
    expect(parseRepoSource("file:///srv/repo.git")).toEqual({ kind: "local", path: "/srv/repo.git" });
    expect(parseRepoSource("../repo")).toEqual({ kind: "local", path: "../repo" });
  });
});
