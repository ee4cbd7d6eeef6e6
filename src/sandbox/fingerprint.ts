import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { workspacePaths } from "./workspace-files.ts";

const HASHED_CONTENT_MAX_BYTES = 1024 * 1024;

/**
 * A stand-in for "the commit" of a local checkout that may have uncommitted changes: a hash of
 * every path with its content (its size and mtime for files over 1 MiB) — the paths copied into
 * the sandbox (workspace-files.ts): tracked files in a git checkout, everything but `.git` otherwise.
 */
export function workspaceFingerprint(root: string): string {
  const hash = createHash("sha256");
  const included = workspacePaths(root);
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (prefix === "" && entry.name === ".git") continue;
      const relative = `${prefix}${entry.name}`;
      if (included !== null && !included.has(relative)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        hash.update(`d ${relative}\n`);
        walk(full, `${relative}/`);
      } else if (entry.isFile()) {
        const stat = statSync(full);
        hash.update(`f ${relative} ${stat.mode & 0o777} ${stat.size}\n`);
        if (stat.size <= HASHED_CONTENT_MAX_BYTES) hash.update(readFileSync(full));
        else hash.update(String(stat.mtimeMs));
      } else if (entry.isSymbolicLink()) {
        hash.update(`l ${relative}\n`);
      }
    }
  };
  walk(root, "");
  return `tree-${hash.digest("hex").slice(0, 20)}`;
}
