import type { IndexedFile } from "../code-index/types.ts";

/**
 * A name in one spelling for every case style: `some-rule-name`, `some_rule_name`, `someRuleName`
 * and `SomeRuleName` all become `some-rule-name` (acronyms stay one word: `HTMLParser` → `html-parser`).
 */
export function canonicalName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .split(/[-_\s]+/)
    .filter((word) => word !== "")
    .join("-");
}

/** Names of several words anywhere in an issue (prose, code, config), in any case style. */
const COMPOUND =
  /(?<![\w$-])([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+|[a-z][a-z0-9]*[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*)/g;

/** The canonical spellings of the compound names an issue writes (one-word names are left to the terms). */
export function writtenCompoundNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(COMPOUND)) {
    const canonical = canonicalName(match[1] ?? "");
    if (canonical.includes("-")) names.add(canonical);
  }
  return [...names];
}

/**
 * The spellings a file answers to: its base name without extension (`is_current.js` → `is-current`), and
 * that name with its folder's kind (`helper/is_current.js` → `is-current-helper`, `rules/no-foo.js` →
 * `no-foo-rule`), as code names a file after what it registers.
 */
export function fileNameKeys(path: string): string[] {
  const segments = path.split("/");
  const stem = canonicalName((segments.at(-1) ?? "").replace(/\.[^.]*$/, ""));
  if (stem === "") return [];
  const folder = canonicalName(segments.at(-2) ?? "").replace(/s$/, "");
  return folder === "" || folder.includes("-") ? [stem] : [stem, `${stem}-${folder}`];
}

/**
 * Files whose name the issue writes, as a compound name in any case style; a name that fits more than
 * `maxFiles` files (`index-spec`) does not say which.
 */
export function filesNamedBy(
  files: readonly IndexedFile[],
  names: readonly string[],
  maxFiles: number,
): Map<string, string> {
  const wanted = new Set(names);
  const byName = new Map<string, string[]>();
  for (const file of files) {
    for (const key of fileNameKeys(file.path)) {
      if (!key.includes("-") || !wanted.has(key)) continue;
      byName.set(key, [...(byName.get(key) ?? []), file.path]);
    }
  }
  const named = new Map<string, string>();
  for (const [name, paths] of byName) {
    if (paths.length > maxFiles) continue;
    for (const path of paths) named.set(path, name);
  }
  return named;
}
