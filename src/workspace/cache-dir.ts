import { homedir, tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { WorkspaceError } from "./errors.ts";

/** Environment variable that moves every autofix cache (snapshots, mirrors, parse results). */
export const CACHE_ENV = "AUTOFIX_CACHE_DIR";

/**
 * The cache root: the explicit option, else $AUTOFIX_CACHE_DIR, else $XDG_CACHE_HOME/autofix, else
 * ~/.cache/autofix, else <tmpdir>/autofix-cache when there is no home directory.
 */
export function resolveCacheRoot(explicit?: string, env: CacheVariables = processCacheVariables()): string {
  const chosen = explicit ?? env[CACHE_ENV];
  if (chosen) return resolve(chosen);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), "autofix");
  const home = safeHome();
  return home ? join(home, ".cache", "autofix") : join(tmpdir(), "autofix-cache");
}

/** The variables the cache root comes from: the parsed environment's values, or a plain record. */
export type CacheVariables = { AUTOFIX_CACHE_DIR?: string | undefined; XDG_CACHE_HOME?: string | undefined };

function processCacheVariables(): CacheVariables {
  return { AUTOFIX_CACHE_DIR: process.env.AUTOFIX_CACHE_DIR, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };
}

/** A cache inside the repository would be indexed as part of it (and could be committed): refuse. */
export function assertCacheOutside(cacheRoot: string, repoDir: string): void {
  const rel = relative(resolve(repoDir), resolve(cacheRoot));
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) {
    throw new WorkspaceError(
      "workspace.cache_dir_invalid",
      `The cache directory ${cacheRoot} is inside the repository ${repoDir}.`,
      {
        hint: `Point ${CACHE_ENV} (or --cache-dir) outside the repository.`,
        context: { cacheRoot, repoDir },
      },
    );
  }
}

function safeHome(): string | undefined {
  try {
    const home = homedir();
    return home && home !== "/" ? home : undefined;
  } catch {
    return undefined;
  }
}
