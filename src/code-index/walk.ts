import { existsSync, readFileSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import type { SkippedFile } from "./types.ts";

export interface WalkedFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: SkippedFile[];
}

const ALWAYS_PRUNED = new Set([".git", ".hg", ".svn"]);

interface IgnoreScope {
  /** Directory of the .gitignore, relative to the root ("" for the root), with a trailing `/`. */
  base: string;
  rules: Ignore;
}

/**
 * Lists regular files under `root`, honouring every `.gitignore` on the way down. Symlinks are
 * reported and never followed (they could lead outside the repository).
 */
export async function walkRepository(root: string): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  await walkDir(root, "", [], files, skipped);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

async function walkDir(
  root: string,
  relDir: string,
  scopes: IgnoreScope[],
  files: WalkedFile[],
  skipped: SkippedFile[],
): Promise<void> {
  const absDir = join(root, relDir);
  const localScope = readGitignore(absDir, relDir);
  const active = localScope ? [...scopes, localScope] : scopes;
  const entries = await readdir(absDir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = relDir ? `${relDir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (ALWAYS_PRUNED.has(entry.name)) continue;
      if (isIgnored(active, `${path}/`)) {
        skipped.push({ path: `${path}/`, reason: "gitignored" });
        continue;
      }
      await walkDir(root, path, active, files, skipped);
    } else if (entry.isSymbolicLink()) {
      skipped.push({ path, reason: "symlink" });
    } else if (entry.isFile()) {
      if (isIgnored(active, path)) {
        skipped.push({ path, reason: "gitignored" });
        continue;
      }
      const stats = await lstat(join(root, path));
      files.push({ path, size: stats.size });
    }
  }
}

function readGitignore(absDir: string, relDir: string): IgnoreScope | undefined {
  const file = join(absDir, ".gitignore");
  if (!existsSync(file)) return undefined;
  try {
    return { base: relDir ? `${relDir}/` : "", rules: ignore().add(readFileSync(file, "utf8")) };
  } catch {
    return undefined;
  }
}

function isIgnored(scopes: IgnoreScope[], path: string): boolean {
  for (const scope of scopes) {
    if (!path.startsWith(scope.base)) continue;
    const relative = path.slice(scope.base.length);
    if (relative && scope.rules.ignores(relative)) return true;
  }
  return false;
}
