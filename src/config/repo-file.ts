import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A repository file's text, or undefined when it is absent, not a regular file (a symlink is never
 * followed out of the tree), outside the repository, or too large to be a configuration file.
 */
export function readRepoText(root: string, relative: string): string | undefined {
  const normalized = normalizeRepoPath(relative);
  if (normalized === undefined) return undefined;
  const file = path.join(root, normalized);
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The repository-relative form a path is matched in: `\` → `/`, no `./` or empty segments, `..`
 * resolved. Undefined for a path that is absolute, empty or escapes the repository.
 */
export function normalizeRepoPath(raw: string): string | undefined {
  const path = raw.trim().replaceAll("\\", "/");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return undefined;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") segments.push(segment);
    else if (segments.pop() === undefined) return undefined;
  }
  return segments.length === 0 ? undefined : segments.join("/");
}

/** A folder named in test configuration: like normalizeRepoPath, but `.`, `./` and `` name the root (""). */
export function normalizeRepoDir(raw: string): string | undefined {
  return /^\.?\/?$/.test(raw.trim()) ? "" : normalizeRepoPath(raw);
}
