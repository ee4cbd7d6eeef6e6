import picomatch from "picomatch";
import { normalizeRepoPath } from "../config/repo-file.ts";

export { normalizeRepoPath };

import { newFileProblem, type RepoSource } from "./new-file.ts";
import { BUILT_IN_RULES, CONFIGURED_RULE } from "./protected-rules.ts";

/** Why a patch may not write a path: the rule, and a message that names it. */
export type ProtectedHit = { path: string; rule: string; message: string };

/** What the patch does to the path: `creates` when the file is new to the patch (empty SEARCH). */
export type PathChange = { creates: boolean };

/** A hit when the path is protected (`true`: by a rule without a name); falsy when a patch may write it. */
export type PathGuard = (path: string, change?: PathChange) => ProtectedHit | boolean | undefined;

const WHY = "a patch may change the code under repair, not what judges it";

/** The hit a guard answered for `path`, or undefined when the path may be written. */
export function protectionOf(guard: PathGuard, path: string, change?: PathChange): ProtectedHit | undefined {
  const hit = guard(path, change);
  if (hit === true) return { path, rule: "unnamed", message: `${path} is a protected path: ${WHY}` };
  return hit || undefined;
}

type NamedGlob = { rule: string; glob: string; isMatch: (path: string) => boolean };

function compile(rule: string, globs: readonly string[]): NamedGlob[] {
  return globs.map((glob) => ({ rule, glob, isMatch: picomatch(glob, { dot: true, nocase: true }) }));
}

/**
 * The one protected-path matcher (repair, validation and publishing all use it): the built-in rules
 * plus the configured globs, which can only add. Matching is case-insensitive on normalized paths.
 */
export function protectedPathMatcher(
  configured: readonly string[],
): (path: string) => ProtectedHit | undefined {
  const named = [
    ...BUILT_IN_RULES.flatMap((entry) => compile(entry.rule, entry.globs)),
    ...compile(CONFIGURED_RULE, configured),
  ];
  return (raw) => {
    const path = normalizeRepoPath(raw);
    if (path === undefined) {
      return {
        path: raw,
        rule: "outside-repository",
        message: `"${raw}" is not a path inside the repository`,
      };
    }
    const hit = named.find((entry) => entry.isMatch(path));
    if (!hit) return undefined;
    return {
      path,
      rule: hit.rule,
      message: `${path} is a protected path (${hit.rule}: ${hit.glob}): ${WHY}`,
    };
  };
}

export type GuardOptions = {
  /** Globs from the repository's `protectedPaths`, added to the built-in rules. */
  configured: readonly string[];
  /** Whether the repository's test discovery counts a path as a test (existing or not). */
  isTest?: (path: string) => boolean;
  /** The repository's files; without them new files are judged by the path rules only. */
  repo?: RepoSource;
  /** Files the tests load by themselves wherever they live (see test-loaded-files.ts). */
  loadedByTests?: ReadonlySet<string>;
  /** Whether writing the path would go through a symbolic link in the checkout. */
  throughLink?: (path: string) => boolean;
};

/**
 * Everything a candidate may not write: protected paths, the repository's tests, paths through a
 * symbolic link, and new files that are not ordinary source beside existing source (see new-file.ts).
 */
export function candidatePathGuard(options: GuardOptions): PathGuard {
  const matcher = protectedPathMatcher(options.configured);
  return (raw, change) => {
    const hit = matcher(raw);
    if (hit) return hit;
    const path = normalizeRepoPath(raw) ?? raw;
    if (options.isTest?.(path)) {
      return {
        path,
        rule: "test-files",
        message: `${path} is a protected path (test-files: the repository's tests run it): ${WHY}`,
      };
    }
    if (options.loadedByTests?.has(path)) {
      return {
        path,
        rule: "test-loaded",
        message: `${path} is a protected path (test-loaded: the test command or its config loads it): ${WHY}`,
      };
    }
    if (options.throughLink?.(path)) {
      return {
        path,
        rule: "symbolic-link",
        message: `${path} goes through a symbolic link: a patch may not write through one`,
      };
    }
    if (!change?.creates || options.repo === undefined) return undefined;
    const problem = newFileProblem(path, options.repo);
    if (problem === undefined) return undefined;
    return { path, rule: "new-file", message: `${path} may not be created (new-file: ${problem})` };
  };
}
