import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { SandboxInputError } from "./errors.ts";

/**
 * What of a checkout goes into the sandbox. In a git work tree (the directory is its top level):
 * the files git tracks, with the folders that hold them — never ignored or untracked files such as
 * `.env`, `.venv` or `node_modules` (setup makes those inside the sandbox). A directory that is not
 * a work tree of its own (a plain folder, or a folder inside another repository, like a test
 * fixture) is taken whole, `.git` aside: there is nothing to tell tracked from ignored there.
 *
 * Returns the relative paths to include (files and their parent folders), or null for "everything".
 */
export function workspacePaths(root: string): Set<string> | null {
  const top = path.resolve(root);
  if (!existsSync(path.join(top, ".git"))) return null;
  const topLevel = gitTopLevel(top);
  if (topLevel === null || realpathSync(topLevel) !== realpathSync(top)) return null;
  const paths = new Set<string>();
  for (const file of gitTrackedFiles(top)) {
    const parts = file.split("/");
    for (let depth = 1; depth <= parts.length; depth++) paths.add(parts.slice(0, depth).join("/"));
  }
  return paths;
}

// No fsmonitor hook: listing a stranger's repository must not run its code.
const GIT_OPTIONS = (top: string) => ["-c", "core.fsmonitor=false", "-c", `safe.directory=${top}`];

function gitTrackedFiles(top: string): string[] {
  try {
    const output = execFileSync("git", [...GIT_OPTIONS(top), "ls-files", "-z", "--cached"], {
      cwd: top,
      encoding: "utf8",
      maxBuffer: 256 * 1024 ** 2,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return output.split("\0").filter((file) => file !== "" && !file.split("/").includes(".git"));
  } catch (error) {
    throw new SandboxInputError(
      `Cannot list the files git tracks in ${top}: ${(error as Error).message.split("\n")[0]}`,
      "The sandbox gets only the tracked files of a git checkout: make `git ls-files` work there.",
    );
  }
}

/** The work tree's top folder, or null when `dir` is in none (a stray `.git` file, no git). */
function gitTopLevel(dir: string): string | null {
  try {
    return execFileSync("git", [...GIT_OPTIONS(dir), "rev-parse", "--show-toplevel"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    return null;
  }
}
