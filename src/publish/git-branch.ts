import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { FileEdit } from "../contract/edit.ts";
import { AutofixError } from "../errors.ts";
import { applyEditToText, type EditRefusal } from "../repair/apply-edit.ts";
import { passesThroughLink } from "../repair/links.ts";
import { scrubToken, tokenHeaderEnv } from "../workspace/git-auth.ts";

const run = promisify(execFile);

export type BranchPush = {
  /** The repository's `clone_url` (https, or http for a local GHES). */
  cloneUrl: string;
  /** The installation token: sent as HTTP basic credentials, never on a command line or in a log. */
  token: string;
  branch: string;
  base: string;
  edits: readonly FileEdit[];
  /** A unified diff (`git apply`): when given, it is applied instead of `edits`. */
  diff?: string;
  /** Build on this commit (the one the patch was validated on) instead of the base branch's head. */
  baseCommit?: string;
  message: string;
  /** The App's git identity; a branch whose head commit has another author belongs to a human. */
  author: { name: string; email: string };
};

export type PushOutcome =
  | { outcome: "pushed" | "unchanged"; sha: string }
  | { outcome: "human-owned"; author: string };

/** Pushes a fix branch: the base branch plus one commit with the edits. */
export interface BranchPublisher {
  pushBranch(request: BranchPush): Promise<PushOutcome>;
}

/** The real publisher: the `git` CLI in a throwaway directory, over HTTP(S). */
export function gitBranchPublisher(): BranchPublisher {
  return {
    async pushBranch(request) {
      const dir = await mkdtemp(join(tmpdir(), "autofix-push-"));
      try {
        return await pushIn(dir, request);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

async function pushIn(dir: string, request: BranchPush): Promise<PushOutcome> {
  const git = gitIn(dir, request);
  await git("init", "-q");
  const baseHead = await remoteHead(git, request, request.base);
  if (baseHead === undefined) throw new BaseBranchGoneError(request.base);
  await git(
    "fetch",
    "-q",
    "--depth=20",
    request.cloneUrl,
    `+refs/heads/${request.base}:refs/remotes/origin/base`,
  );
  const fixHead = await remoteHead(git, request, request.branch);
  if (fixHead !== undefined) {
    await git(
      "fetch",
      "-q",
      "--depth=1",
      request.cloneUrl,
      `+refs/heads/${request.branch}:refs/remotes/origin/fix`,
    );
    const author = (await git("log", "-1", "--format=%an", "refs/remotes/origin/fix")).trim();
    if (author !== request.author.name) return { outcome: "human-owned", author };
  }
  let start = "refs/remotes/origin/base";
  if (request.baseCommit !== undefined) {
    // The validated commit: usually within the fetched history; else asked for by id.
    const known = await git("cat-file", "-t", request.baseCommit).catch(() => "");
    if (known.trim() !== "commit")
      await git("fetch", "-q", "--depth=1", request.cloneUrl, request.baseCommit);
    start = request.baseCommit;
  }
  await git("checkout", "-q", "-b", "fix", start);
  if (request.diff !== undefined && request.diff !== "") {
    await writeFile(join(dir, ".git", "autofix.patch"), request.diff);
    await git("apply", "--index", "--whitespace=nowarn", join(".git", "autofix.patch"));
  } else {
    for (const edit of request.edits) await applyEdit(dir, edit);
  }
  await git("add", "--all");
  await git("commit", "-q", "--no-verify", "-m", request.message);
  const sha = (await git("rev-parse", "HEAD")).trim();
  if (fixHead !== undefined) {
    // Same files and same message as the branch already has: nothing to push.
    const describe = (ref: string) => git("log", "-1", "--format=%T%n%B", ref);
    const same = (await describe("HEAD")) === (await describe("refs/remotes/origin/fix"));
    if (same) return { outcome: "unchanged", sha: fixHead };
  }
  // Rebuilt from the base each time; the lease makes a push that races a human's fail instead of overwrite it.
  const lease = `--force-with-lease=refs/heads/${request.branch}:${fixHead ?? ""}`;
  await git("push", "-q", lease, request.cloneUrl, `HEAD:refs/heads/${request.branch}`);
  return { outcome: "pushed", sha };
}

/** The base branch was deleted while the job ran: nothing to propose a change to. */
export class BaseBranchGoneError extends AutofixError {
  constructor(branch: string) {
    super("base_branch_gone", `the branch \`${branch}\` no longer exists`, {
      hint: "the pull request would have targeted it; re-add the trigger label once the repository has its default branch back",
      context: { branch },
    });
  }
}

async function remoteHead(git: Git, request: BranchPush, branch: string): Promise<string | undefined> {
  const listed = await git("ls-remote", request.cloneUrl, `refs/heads/${branch}`);
  const sha = listed.split(/\s/)[0];
  return sha === undefined || sha === "" ? undefined : sha;
}

/** Apply one SEARCH/REPLACE edit to the clone, as the repair stage applied it (apply-edit.ts). */
async function applyEdit(dir: string, edit: FileEdit): Promise<void> {
  const path = resolve(dir, edit.path);
  if (!path.startsWith(dir + sep) || edit.path.split(/[\\/]/).includes(".git")) {
    throw new AutofixError(
      "edit_outside_repository",
      `the patch names a path outside the repository: ${edit.path}`,
    );
  }
  // Validation refused such edits in its checkout; the publishing clone checks again, as it writes.
  if (passesThroughLink(dir, relative(dir, path).split(sep).join("/"))) {
    throw new AutofixError(
      "edit_outside_repository",
      `the patch writes through a symbolic link of the repository: ${edit.path}`,
    );
  }
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch {
    text = undefined;
  }
  const outcome = applyEditToText(text, edit);
  if (!outcome.ok) throw doesNotApply(edit, outcome.refusal);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, outcome.text);
}

function doesNotApply(edit: FileEdit, refusal: EditRefusal): AutofixError {
  const count = refusal.kind === "ambiguous" ? refusal.count : refusal.kind === "file_exists" ? 1 : 0;
  return new AutofixError(
    "edit_does_not_apply",
    `the patch's edit of ${edit.path} does not apply to the base branch (its search text occurs ${count} times)`,
    {
      hint: "the base branch moved since the run; retry to repair against the new code",
      context: { path: edit.path },
    },
  );
}

type Git = (...args: string[]) => Promise<string>;

function gitIn(dir: string, request: BranchPush): Git {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: "1",
    // Credentials through the environment: not visible in `ps`, not written to .git/config.
    ...tokenHeaderEnv(request.token),
    GIT_AUTHOR_NAME: request.author.name,
    GIT_AUTHOR_EMAIL: request.author.email,
    GIT_COMMITTER_NAME: request.author.name,
    GIT_COMMITTER_EMAIL: request.author.email,
  };
  return async (...args) => {
    try {
      const { stdout } = await run("git", args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? "");
      const scrub = (text: string) => scrubToken(text, request.token);
      throw new AutofixError("git_failed", `git ${args[0]} failed: ${scrub(stderr).trim() || "no output"}`, {
        hint: "check that the App may write contents on this repository and that its clone_url is reachable",
        context: { command: args[0] },
      });
    }
  };
}
