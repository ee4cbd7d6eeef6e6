import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, utimes, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { assertCacheOutside, resolveCacheRoot } from "./cache-dir.ts";
import { WorkspaceError } from "./errors.ts";
import { gitWithToken } from "./git-auth.ts";
import { gitWithInput, runGit, tryGit } from "./git-runner.ts";
import { repoKey } from "./repo-key.ts";
import type { MaterializeOptions, RepoSource, Snapshot, Workspace } from "./workspace.ts";

export interface GitWorkspaceOptions {
  /** Cache root (default: see resolveCacheRoot). Snapshots live in <root>/snapshots/<repo>/<commit>. */
  cacheRoot?: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

/**
 * The simple-git Workspace. Local git directories (bare or not) are read in place: the commit's tree is
 * checked out into the cache through a private index file, so the source repository is never modified.
 * Remote URLs are fetched one commit deep into a bare mirror kept in the cache.
 */
export class GitWorkspace implements Workspace {
  readonly cacheRoot: string;

  constructor(options: GitWorkspaceOptions = {}) {
    this.cacheRoot = resolveCacheRoot(options.cacheRoot);
  }

  async materialize(source: RepoSource, options: MaterializeOptions = {}): Promise<Snapshot> {
    const wanted = options.commit?.trim() || "HEAD";
    const { gitDir, key } =
      source.kind === "local"
        ? await this.localGitDir(source)
        : await this.remoteMirror(source, wanted, options.signal, options.token);
    const commit = await resolveCommit(
      gitDir,
      source.kind === "remote" && !FULL_SHA.test(wanted) ? "FETCH_HEAD" : wanted,
      wanted,
    );
    const root = join(this.cacheRoot, "snapshots", key, commit);
    if (existsSync(root)) {
      // Used now: the snapshot cache evicts the least recently used (snapshot-cache.ts).
      const now = new Date();
      await utimes(root, now, now).catch(() => undefined);
      return { repoKey: key, commit, root, cached: true, missingFiles: readMissing(root) };
    }
    const missing = await checkoutInto(gitDir, commit, root, options.signal);
    return { repoKey: key, commit, root, cached: false, missingFiles: missing };
  }

  async release(snapshot: Snapshot): Promise<void> {
    await rm(snapshot.root, { recursive: true, force: true });
    await rm(`${snapshot.root}.missing.json`, { force: true });
  }

  private async localGitDir(source: {
    kind: "local";
    path: string;
  }): Promise<{ gitDir: string; key: string }> {
    const path = resolve(source.path);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new WorkspaceError("workspace.repo_not_found", `No directory at ${path}.`, {
        hint: "Pass the path of a git repository (a clone or a bare mirror).",
        context: { path },
      });
    }
    const gitDir = (await tryGit(path, ["rev-parse", "--absolute-git-dir"], { discover: true }))?.trim();
    if (!gitDir) {
      throw new WorkspaceError("workspace.repo_not_found", `${path} is not a git repository.`, {
        hint: "Pass a clone or a bare mirror; `git -C <path> rev-parse --git-dir` must succeed.",
        context: { path },
      });
    }
    const isBare = (await tryGit(gitDir, ["rev-parse", "--is-bare-repository"]))?.trim() === "true";
    if (!isBare) assertCacheOutside(this.cacheRoot, dirname(gitDir));
    return { gitDir, key: repoKey({ kind: "local", path }, gitDir) };
  }

  private async remoteMirror(
    source: { kind: "remote"; url: string },
    wanted: string,
    signal: AbortSignal | undefined,
    token: string | undefined,
  ): Promise<{ gitDir: string; key: string }> {
    const key = repoKey(source);
    const gitDir = join(this.cacheRoot, "mirrors", `${key}.git`);
    if (!existsSync(join(gitDir, "HEAD"))) {
      await mkdir(gitDir, { recursive: true });
      await runGit(gitDir, ["init", "--bare", "--quiet"]);
    }
    const present =
      FULL_SHA.test(wanted) && (await tryGit(gitDir, ["cat-file", "-e", `${wanted}^{commit}`])) !== undefined;
    if (!present) {
      const fetchArgs = ["fetch", "--quiet", "--depth", "1", "--no-tags", source.url, wanted];
      try {
        if (token !== undefined) await gitWithToken(gitDir, fetchArgs, token, signal);
        else await runGit(gitDir, fetchArgs, signal ? { signal } : {});
      } catch (error) {
        if (
          /not our ref|couldn't find remote ref|no such remote ref|unadvertised object/i.test(
            String(error instanceof Error && error.cause instanceof Error ? error.cause.message : error),
          )
        ) {
          throw commitNotFound(wanted, source.url);
        }
        throw error;
      }
    }
    return { gitDir, key };
  }
}

function readMissing(root: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(`${root}.missing.json`, "utf8"));
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

async function resolveCommit(gitDir: string, revision: string, asWritten: string): Promise<string> {
  const sha = (await tryGit(gitDir, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`]))?.trim();
  if (!sha || !FULL_SHA.test(sha)) throw commitNotFound(asWritten, gitDir);
  return sha.toLowerCase();
}

/**
 * A partial or size-capped mirror may lack some blobs (typically big data files). They are taken out of
 * the private index so the rest checks out; the snapshot records which paths are absent.
 */
async function dropMissingBlobs(gitDir: string, indexFile: string): Promise<string[]> {
  const env = { GIT_INDEX_FILE: indexFile };
  const staged = await runGit(gitDir, ["ls-files", "--stage", "-z"], { env });
  const entries = staged
    .split("\0")
    .filter(Boolean)
    .flatMap((line) => {
      const match = /^(\d+) ([0-9a-f]{40}) \d\t(.*)$/s.exec(line);
      return match && match[1] !== "160000" ? [{ blob: match[2] as string, path: match[3] as string }] : [];
    });
  const checked = await gitWithInput(
    gitDir,
    ["cat-file", "--batch-check"],
    `${entries.map((e) => e.blob).join("\n")}\n`,
  );
  const missingBlobs = new Set(
    checked
      .split("\n")
      .filter((line) => line.endsWith(" missing"))
      .map((line) => line.split(" ")[0]),
  );
  const missing = entries.filter((entry) => missingBlobs.has(entry.blob)).map((entry) => entry.path);
  if (missing.length > 0) {
    const removal = missing.map((path) => `0 ${"0".repeat(40)}\t${path}`).join("\n");
    await gitWithInput(gitDir, ["update-index", "--index-info"], `${removal}\n`, env);
  }
  return missing;
}

function commitNotFound(commit: string, where: string): WorkspaceError {
  return new WorkspaceError("workspace.commit_not_found", `Commit ${commit} does not exist in ${where}.`, {
    hint: "Check the commit id; a shallow or partial clone may lack it (fetch the full history).",
    context: { commit, repository: where },
  });
}

/** Checks the tree out through a private index, into a temp dir renamed into place (atomic for readers). */
async function checkoutInto(
  gitDir: string,
  commit: string,
  root: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const staging = `${root}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const indexFile = `${staging}.index`;
  await mkdir(staging, { recursive: true });
  try {
    const env = { GIT_INDEX_FILE: indexFile };
    await runGit(gitDir, ["read-tree", commit], { env, ...(signal ? { signal } : {}) });
    const missing = await dropMissingBlobs(gitDir, indexFile);
    await runGit(gitDir, ["checkout-index", "--all", "--force"], {
      env,
      workTree: staging,
      ...(signal ? { signal } : {}),
    });
    if (existsSync(root)) return missing; // another process won the race; its copy is identical
    await rename(staging, root);
    if (missing.length > 0) await writeFile(`${root}.missing.json`, JSON.stringify(missing));
    return missing;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(indexFile, { force: true });
  }
}
