import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { AutofixError } from "../errors.ts";
import { parseMemory } from "../sandbox/sandbox.ts";

/** Past 24 hours a timeout is a typo; Node's timers also overflow past 2^31 ms (~24.8 days) and fire at once. */
export const MAX_TIMEOUT_SECONDS = 86_400;
const MIN_TIMEOUT_SECONDS = 0.1;
/** Docker refuses less than 6 MiB; below 16 MiB no interpreter or test runner starts. */
export const MIN_MEMORY_BYTES = 16 * 1024 ** 2;

function invalidOption(message: string, hint: string): AutofixError {
  return new AutofixError("cli.invalid_option", message, { hint });
}

export function timeoutMs(seconds: number): number {
  if (seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
    throw invalidOption(
      `--timeout ${seconds}: the wall-clock limit must be from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} seconds (24 hours).`,
      "Pass the limit in seconds, e.g. --timeout 600.",
    );
  }
  return Math.round(seconds * 1000);
}

export function memoryBytes(text: string): number {
  const bytes = parseMemory(text);
  if (bytes < MIN_MEMORY_BYTES) {
    throw invalidOption(
      `--memory ${text}: ${bytes} bytes is below the sandbox's minimum of 16m.`,
      "Pass a size like 512m or 2g (k, m and g are binary units).",
    );
  }
  return bytes;
}

// Docker's reference grammar (distribution/reference): [domain[:port]/]path[:tag][@digest].
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}";
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

export function imageReference(image: string): string {
  if (image.length > 255 || !IMAGE_REFERENCE.test(image)) {
    throw invalidOption(
      `--image ${JSON.stringify(image)} is not a Docker image reference.`,
      "Pass name[:tag] or name@sha256:<64 hex digits>, e.g. autofix/python:3 (see `docker images`).",
    );
  }
  return image;
}

/** The absolute path of an existing directory given as --repo. */
export function repoDirectory(given: string): string {
  const dir = path.resolve(given);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) {
    throw new AutofixError(
      "cli.repo_missing",
      `--repo ${given}: ${stat ? "not a directory" : "no such directory"} (${dir}).`,
      {
        hint: "Pass --repo the path of a repository checkout.",
      },
    );
  }
  return dir;
}

/** `autofix fix` proves a patch against a commit: a plain directory or a repository without one is refused. */
export function requireCommittedRepository(dir: string): void {
  const git = (...args: string[]) => {
    try {
      execFileSync("git", ["-C", dir, ...args], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (!git("rev-parse", "--git-dir")) {
    throw new AutofixError("cli.not_a_repository", `${dir} is not a git repository.`, {
      hint: "autofix fix works on a git repository: run `git init && git add -A && git commit -m base` in it, or pass a clone.",
    });
  }
  if (!git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")) {
    throw new AutofixError("cli.repo_without_commits", `${dir} is a git repository without any commit.`, {
      hint: "Commit the code first (`git add -A && git commit -m base`): a patch is proven against a commit.",
    });
  }
}
