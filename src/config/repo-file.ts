import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";

const MAX_CONFIG_BYTES = 1024 * 1024;
/** Past this a "source file" is data or generated: not shown to the model. */
export const MAX_SOURCE_BYTES = 4 * 1024 ** 2;

/**
 * A repository file's text, or undefined when it is absent, not a regular file, outside the
 * repository, or too large to be a configuration file. See readRepoFile.
 */
export function readRepoText(root: string, relative: string): string | undefined {
  return readRepoFile(root, relative, MAX_CONFIG_BYTES);
}

/**
 * The text of a repository file that autofix reads for itself (configuration, code shown to the
 * model, test examples), or undefined when it is absent, larger than `maxBytes`, outside the
 * repository, or reached through a symbolic link — the file itself or any folder on its way: a
 * repository that commits `lib -> /home` must not get host files into a prompt or a report.
 */
export function readRepoFile(root: string, relative: string, maxBytes: number): string | undefined {
  const normalized = normalizeRepoPath(relative);
  if (normalized === undefined) return undefined;
  const parts = normalized.split("/");
  try {
    for (let depth = 1; depth < parts.length; depth++) {
      if (!lstatSync(path.join(root, ...parts.slice(0, depth))).isDirectory()) return undefined;
    }
    const file = path.join(root, normalized);
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
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
