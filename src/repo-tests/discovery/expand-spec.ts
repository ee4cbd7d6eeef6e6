import picomatch from "picomatch";
import { normalizeRepoDir, normalizeRepoPath } from "../../config/repo-file.ts";

export type SpecOptions = {
  /** Extensions without the dot, for files found in a directory (`js`, `cjs`, `coffee`). */
  extensions: readonly string[];
  /** Whether a directory spec reaches into sub-directories. */
  recursive: boolean;
};

const GLOB_CHARS = /[*?[\]{}!]|\(.*\)/;

/**
 * The files one spec names, as mocha and tape read specs: an existing file; a glob over repository
 * paths; a directory, whose files with one of the extensions count (nested ones too when recursive);
 * a path without its `.js`.
 */
export function expandSpec(files: readonly string[], spec: string, options: SpecOptions): string[] {
  const normalized = normalizeRepoDir(spec);
  if (normalized === undefined) return [];
  if (GLOB_CHARS.test(normalized)) {
    const isMatch = picomatch(normalized, { dot: false });
    return files.filter((file) => isMatch(file));
  }
  if (files.includes(normalized)) return [normalized];
  const prefix = normalized === "" ? "" : `${normalized}/`;
  const inside = files.filter((file) => file.startsWith(prefix));
  if (inside.length > 0) {
    const extensions = new Set(options.extensions);
    return inside.filter((file) => {
      const rest = file.slice(prefix.length);
      const extension = /\.([^./]+)$/.exec(rest)?.[1] ?? "";
      return extensions.has(extension) && (options.recursive || !rest.includes("/"));
    });
  }
  const withExtension = options.extensions
    .map((ext) => `${normalized}.${ext}`)
    .find((f) => files.includes(f));
  return withExtension === undefined ? [] : [withExtension];
}

/**
 * Every file the specs name, each once, in the order the tool loads them: spec by spec (a glob's or
 * a folder's files sorted). A file's root hooks run first when it loads first, so the order is kept.
 */
export function expandSpecs(
  files: readonly string[],
  specs: readonly string[],
  options: SpecOptions,
): string[] {
  return [...new Set(specs.flatMap((spec) => expandSpec(files, spec, options).sort()))];
}

/** Whether a path (existing or not) would be named by one of the specs. */
export function specMatcher(specs: readonly string[], options: SpecOptions): (file: string) => boolean {
  const extensions = new Set(options.extensions);
  const tests = specs.map((spec) => {
    const normalized = normalizeRepoDir(spec);
    if (normalized === undefined) return () => false;
    if (GLOB_CHARS.test(normalized)) return picomatch(normalized);
    const prefix = normalized === "" ? "" : `${normalized}/`;
    return (file: string) => {
      if (file === normalized) return true;
      if (!file.startsWith(prefix)) return false;
      const rest = file.slice(prefix.length);
      const extension = /\.([^./]+)$/.exec(rest)?.[1] ?? "";
      return extensions.has(extension) && (options.recursive || !rest.includes("/"));
    };
  });
  return (file) => {
    const normalized = normalizeRepoPath(file);
    return normalized !== undefined && tests.some((test) => test(normalized));
  };
}
