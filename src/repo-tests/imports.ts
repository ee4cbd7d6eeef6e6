import path from "node:path";
import type { Language } from "./discover.ts";

const JS_SPECIFIER =
  /(?:\bimport\s+(?:[^'"`;]*?\s+from\s+)?|\bexport\s+[^'"`;]*?\s+from\s+|\brequire\s*\(\s*|\bimport\s*\(\s*)["']([^"']+)["']/g;
const PY_FROM = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)/gm;
const JS_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];

/**
 * Repository files a source file imports (relative JS specifiers, Python absolute and relative
 * imports), resolved against the set of repository files. Package imports resolve to nothing.
 */
export function resolveImports(
  file: string,
  source: string,
  language: Language,
  files: ReadonlySet<string>,
): string[] {
  const found = new Set<string>();
  if (language === "javascript") {
    for (const match of source.matchAll(JS_SPECIFIER)) {
      const specifier = match[1];
      if (specifier?.startsWith("."))
        addFirst(found, files, jsCandidates(path.posix.join(path.posix.dirname(file), specifier)));
    }
  } else {
    for (const match of source.matchAll(PY_FROM)) {
      const [, dots = "", module = "", names = ""] = match;
      const base = pythonBase(file, dots, module);
      if (base === null) continue;
      addFirst(found, files, pyCandidates(base));
      for (const name of names.replace(/[()]/g, "").split(",")) {
        const bare = name.trim().split(/\s+/)[0];
        if (bare && bare !== "*") addFirst(found, files, pyCandidates(path.posix.join(base, bare)));
      }
    }
    for (const match of source.matchAll(PY_IMPORT)) {
      for (const module of (match[1] ?? "").split(",")) {
        addFirst(found, files, pyCandidates(module.trim().replaceAll(".", "/")));
      }
    }
  }
  found.delete(file);
  return [...found];
}

function addFirst(found: Set<string>, files: ReadonlySet<string>, candidates: string[]): void {
  const hit = candidates.find((candidate) => files.has(candidate));
  if (hit !== undefined) found.add(hit);
}

function jsCandidates(target: string): string[] {
  const stem = target.replace(/\.(?:[cm]?[jt]sx?)$/, "");
  // `require('..')` from test/ is the repository root: its index file.
  const dir = target === "." ? "" : `${target}/`;
  return [
    target,
    ...JS_EXTENSIONS.map((ext) => stem + ext),
    ...JS_EXTENSIONS.map((ext) => `${dir}index${ext}`),
  ];
}

function pythonBase(file: string, dots: string, module: string): string | null {
  const modulePath = module.replaceAll(".", "/");
  if (dots.length === 0) return modulePath;
  let dir = path.posix.dirname(file);
  for (let i = 1; i < dots.length; i++) dir = path.posix.dirname(dir);
  if (dir === "..") return null;
  const joined = modulePath === "" ? dir : path.posix.join(dir, modulePath);
  return joined === "." ? "" : joined;
}

function pyCandidates(modulePath: string): string[] {
  if (modulePath === "") return [];
  // Also under src/ (the src layout) — pytest and installed packages find them there.
  return [
    `${modulePath}.py`,
    `${modulePath}/__init__.py`,
    `src/${modulePath}.py`,
    `src/${modulePath}/__init__.py`,
  ];
}
