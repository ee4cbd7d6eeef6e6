import picomatch from "picomatch";
import type { ShellWord } from "./shell-words.ts";

/**
 * What sh makes of a word with an unquoted glob, over the repository's paths (files and the folders
 * holding them): the matching paths in byte order, or the word itself when none matches (sh passes
 * it on unchanged, and the tool may glob it itself). Each `/`-separated part matches one path part,
 * so `**` is `*` (sh has no globstar), and a part starting with `.` is matched only by a `.`.
 */
export function shellGlob(paths: readonly string[], word: ShellWord): string[] {
  if (word.glob === null) return [word.text];
  const dotSlash = word.glob.startsWith("./") ? "./" : "";
  const parts = word.glob.slice(dotSlash.length).split("/");
  if (word.glob.startsWith("/") || parts.some((part) => part === "" || part === "..")) return [word.text];
  const matchers = parts.map((part) =>
    picomatch(part.replace(/(?<!\\)\*{2,}/g, "*"), { dot: false, nobrace: true, noextglob: true }),
  );
  const matches = withFolders(paths).filter((path) => {
    const pathParts = path.split("/");
    return (
      pathParts.length === matchers.length && matchers.every((isMatch, i) => isMatch(pathParts[i] ?? ""))
    );
  });
  if (matches.length === 0) return [word.text];
  return matches.sort(byteOrder).map((path) => `${dotSlash}${path}`);
}

function withFolders(files: readonly string[]): string[] {
  const all = new Set<string>();
  for (const file of files) {
    const parts = file.split("/");
    for (let end = 1; end <= parts.length; end++) all.add(parts.slice(0, end).join("/"));
  }
  return [...all];
}

function byteOrder(a: string, b: string): number {
  const left = Buffer.from(a);
  return left.compare(Buffer.from(b));
}
