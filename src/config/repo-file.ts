import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A repository file's text, or undefined when it is absent, not a regular file (a symlink is never
 * followed out of the tree), outside the repository, or too large to be a configuration file.
 */
export function readRepoText(root: string, relative: string): string | undefined {
  const normalized = path.posix.normalize(relative.replace(/^\.\//, ""));
  if (normalized.startsWith("../") || path.posix.isAbsolute(normalized)) return undefined;
  const file = path.join(root, normalized);
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** `./test/`, `test//a`, `test/.` → `test`, `test/a`: the form repo file lists use. */
export function normalizeRepoPath(relative: string): string {
  const normalized = path.posix.normalize(relative.replaceAll("\\", "/")).replace(/^\.\//, "");
  return normalized === "." ? "" : normalized.replace(/\/$/, "");
}
