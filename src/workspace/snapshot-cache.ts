import { readdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { type Environment, type EnvironmentVariable, problemsWith } from "../config/environment.ts";
import { WorkspaceError } from "./errors.ts";

/** Environment variable bounding how many snapshots the App keeps in its cache. */
export const MAX_SNAPSHOTS_ENV = "AUTOFIX_CACHE_MAX_SNAPSHOTS" satisfies EnvironmentVariable;
/** A few repositories' worth of recent commits, a few GB at most for typical repositories. */
export const DEFAULT_MAX_SNAPSHOTS = 10;

const COMMIT_DIR = /^[0-9a-f]{40}$/;

export type EvictionResult = {
  /** Snapshot directories removed, least recently used first. */
  removed: string[];
  /** Snapshot directories left in the cache (held ones included). */
  kept: number;
  /** True when a snapshot was being materialized, so nothing was looked at (the next call trims). */
  deferred?: boolean;
};

/**
 * The snapshot directories of a cache (`<cacheRoot>/snapshots/<repo key>/<commit>`, written by
 * GitWorkspace), bounded to the `maxSnapshots` most recently used. A job `hold`s its snapshot while
 * it runs: a held snapshot is never evicted, even past the bound. Recency is the directory's mtime,
 * which `hold` refreshes, so it survives a restart.
 *
 * A snapshot is taken through `materialize`, which holds it before anything can evict it: eviction
 * waits for none, it is skipped while a snapshot is being materialized, and a materialize waits for an
 * eviction under way (which could be deleting the very directory it is about to find).
 *
 * Holds are per process: another process sharing the cache could still evict a snapshot one of this
 * process's jobs reads — give each App process its own AUTOFIX_CACHE_DIR.
 */
export class SnapshotCache {
  readonly cacheRoot: string;
  readonly maxSnapshots: number;
  readonly #held = new Map<string, number>();
  #materializing = 0;
  #evicting: Promise<unknown> = Promise.resolve();

  constructor(options: { cacheRoot: string; maxSnapshots: number }) {
    this.cacheRoot = options.cacheRoot;
    this.maxSnapshots = options.maxSnapshots;
  }

  /** Take a snapshot from `get` (e.g. Workspace.materialize) and hold it; call `release` when done. */
  async materialize<T extends { root: string }>(
    get: () => Promise<T>,
  ): Promise<{ snapshot: T; release: () => void }> {
    this.#materializing++; // before the await: an eviction that starts from now on is skipped
    try {
      await this.#evicting.catch(() => undefined);
      const snapshot = await get();
      return { snapshot, release: await this.hold(snapshot.root) };
    } finally {
      this.#materializing--;
    }
  }

  /** Mark `root` in use (and used now) until the returned function is called. */
  async hold(root: string): Promise<() => void> {
    this.#held.set(root, (this.#held.get(root) ?? 0) + 1);
    const now = new Date();
    await utimes(root, now, now).catch(() => undefined); // gone already: nothing to keep fresh
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.#held.get(root) ?? 1) - 1;
      if (count > 0) this.#held.set(root, count);
      else this.#held.delete(root);
    };
  }

  /** Remove the least recently used snapshots beyond the bound, never a held one. */
  evict(): Promise<EvictionResult> {
    if (this.#materializing > 0) return Promise.resolve({ removed: [], kept: 0, deferred: true });
    const eviction = this.#evictNow();
    this.#evicting = eviction;
    return eviction;
  }

  async #evictNow(): Promise<EvictionResult> {
    const snapshots = await this.#list();
    snapshots.sort((a, b) => b.usedAt - a.usedAt);
    const removed: string[] = [];
    let kept = 0;
    for (const snapshot of snapshots) {
      if (this.#held.has(snapshot.root) || kept < this.maxSnapshots) {
        kept++;
        continue;
      }
      removed.push(snapshot.root);
    }
    for (const root of removed.reverse()) {
      await rm(root, { recursive: true, force: true });
      await rm(`${root}.missing.json`, { force: true });
    }
    return { removed, kept };
  }

  async #list(): Promise<{ root: string; usedAt: number }[]> {
    const found: { root: string; usedAt: number }[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const path = join(dir, entry.name);
        if (COMMIT_DIR.test(entry.name)) {
          const info = await stat(path).catch(() => undefined);
          if (info !== undefined) found.push({ root: path, usedAt: info.mtimeMs });
        } else if (depth < 4) {
          await walk(path, depth + 1); // repo keys are 2–3 segments deep (local/x, host/owner/name)
        }
      }
    };
    await walk(join(this.cacheRoot, "snapshots"), 0);
    return found;
  }
}

/** `AUTOFIX_CACHE_MAX_SNAPSHOTS` (default DEFAULT_MAX_SNAPSHOTS); an unusable value is an error naming it. */
export function maxSnapshotsFromEnv(environment: Environment): number {
  const [problem] = problemsWith(environment, [MAX_SNAPSHOTS_ENV]);
  if (problem !== undefined) {
    const raw = problem.value.trim();
    throw new WorkspaceError(
      "workspace.cache_limit_invalid",
      `${MAX_SNAPSHOTS_ENV}=${raw} is not a whole number from 1 to 100000.`,
      {
        hint: `Set ${MAX_SNAPSHOTS_ENV} to how many repository snapshots the cache may keep, or unset it (default ${DEFAULT_MAX_SNAPSHOTS}).`,
        context: { value: raw },
      },
    );
  }
  return environment.values.AUTOFIX_CACHE_MAX_SNAPSHOTS ?? DEFAULT_MAX_SNAPSHOTS;
}
