// A small script rather than dependency-cruiser or madge: no extra dependency, the rule is about
// forty lines, and the layer table stays plain data next to the test that enforces it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One import of one file: `from` and `to` are unit names (a folder of src/, or a top-level file). */
export interface ImportEdge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

const SPECIFIER =
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** The module specifiers a source file imports or re-exports (static, side-effect and literal dynamic). */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].flatMap((m) => {
    const specifier = m[1] ?? m[2] ?? m[3];
    return specifier === undefined ? [] : [specifier];
  });
}

/** The unit of a path relative to src/: its first folder, or a top-level file's name without `.ts`. */
export function unitOf(pathInSrc: string): string {
  const [head = "", ...rest] = pathInSrc.split(sep);
  return rest.length === 0 ? head.replace(/\.ts$/, "") : head;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every import between two different units of `srcDir` (packages and node: builtins are left out). */
export function unitEdges(srcDir: string): ImportEdge[] {
  return sourceFiles(srcDir).flatMap((path) => {
    const file = relative(srcDir, path);
    return importSpecifiers(readFileSync(path, "utf8")).flatMap((specifier) => {
      if (!specifier.startsWith(".")) return [];
      const target = relative(srcDir, resolve(dirname(path), specifier));
      if (target.startsWith("..")) return [];
      const edge = { from: unitOf(file), to: unitOf(target), file: file.split(sep).join("/"), specifier };
      return edge.from === edge.to ? [] : [edge];
    });
  });
}
