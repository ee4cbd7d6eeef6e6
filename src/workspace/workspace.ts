/**
 * A repository at one commit, as a read-only directory. The pipeline reads code from a Snapshot;
 * only the Workspace writes to disk outside a run's temp dir (later: scratch copies, diffs, pushes).
 */

/** Where a repository comes from: a local git directory (bare or not) or a URL git can fetch from. */
export type RepoSource = { kind: "local"; path: string } | { kind: "remote"; url: string };

export interface Snapshot {
  /** Stable key of the repository (used in cache paths), e.g. `github.com/psf/requests`. */
  readonly repoKey: string;
  /** The full 40-hex commit id. */
  readonly commit: string;
  /** Directory holding the files at `commit`. Treat it as read-only: it is shared through the cache. */
  readonly root: string;
  /** True when the directory was already in the cache. */
  readonly cached: boolean;
  /** Paths whose content the source repository lacks (a partial mirror): absent from `root`. */
  readonly missingFiles: readonly string[];
}

export interface MaterializeOptions {
  /** A commit id (full or abbreviated), a branch or a tag. Default: HEAD. */
  commit?: string;
  signal?: AbortSignal;
  /**
   * An installation token for a remote source: sent as an HTTP header through git's environment
   * (src/workspace/git-auth.ts), never stored in the mirror's config or in a URL.
   */
  token?: string;
}

export interface Workspace {
  materialize(source: RepoSource, options?: MaterializeOptions): Promise<Snapshot>;
  /** Drops a cached snapshot directory (e.g. after evaluating one instance). */
  release(snapshot: Snapshot): Promise<void>;
}

/** `/path`, `./path`, `file:///path` → local; anything with a scheme or `user@host:` → remote. */
export function parseRepoSource(text: string): RepoSource {
  if (/^file:\/\//.test(text)) return { kind: "local", path: decodeURIComponent(text.slice(7)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[\w.-]+@[\w.-]+:/.test(text)) {
    return { kind: "remote", url: text };
  }
  return { kind: "local", path: text };
}
