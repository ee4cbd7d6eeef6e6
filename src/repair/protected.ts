import picomatch from "picomatch";
import { ALWAYS_PROTECTED } from "../config/schema.ts";

/** A test for paths a patch may never touch: the configured globs plus, always, `.github/**`. */
export function protectedPathMatcher(globs: readonly string[]): (path: string) => boolean {
  const patterns = [...new Set([...ALWAYS_PROTECTED, ...globs])];
  const isMatch = picomatch(patterns, { dot: true });
  return (path) => isMatch(path);
}
