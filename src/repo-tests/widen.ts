import path from "node:path";

export type WidenedSelection = { scope: "package" | "suite"; files: string[] };

/** Folders that hold code or tests, not a package of their own. */
const GENERIC = /^(src|lib|test|tests|__tests__|spec|specs)$/;
/** Folders that hold several packages: the package is the folder below. */
const CONTAINERS = /^(packages|apps|libs|modules|plugins|crates)$/;

/**
 * When no test relates to the localized files: the tests of their package — in a mirrored folder
 * (`lib/rules/x.js` ↔ `tests/lib/rules/…`, either deeper), in the same top-level package
 * (`pkg/a/x.py` ↔ `pkg/checks/…`), or under the nearest folder above a localized file that holds
 * tests — nearest first. With none, the whole suite, nearest first: screening keeps what fits.
 */
export function widenSelection(tests: readonly string[], localized: readonly string[]): WidenedSelection {
  const nearestFirst = [...tests].sort(
    (a, b) => closeness(b, localized) - closeness(a, localized) || a.localeCompare(b),
  );
  const inPackage = nearestFirst.filter((test) =>
    localized.some((source) => samePackage(test, source, tests)),
  );
  if (inPackage.length > 0 && inPackage.length < tests.length) return { scope: "package", files: inPackage };
  return { scope: "suite", files: nearestFirst };
}

function samePackage(test: string, source: string, tests: readonly string[]): boolean {
  const testDir = meaningful(dirOf(test));
  const sourceDir = meaningful(dirOf(source));
  if (
    sourceDir.length > 0 &&
    testDir.length > 0 &&
    (startsWith(testDir, sourceDir) || startsWith(sourceDir, testDir))
  )
    return true;
  const topOfSource = packageRoot(source);
  if (topOfSource !== null && topOfSource === packageRoot(test)) return true;
  const nearest = nearestFolderWithTests(source, tests);
  return nearest !== null && test.startsWith(`${nearest}/`);
}

/** The deepest folder above `source` (not the repository root) that holds a test file. */
function nearestFolderWithTests(source: string, tests: readonly string[]): string | null {
  const parts = dirOf(source);
  for (let depth = parts.length; depth > 0; depth--) {
    const folder = parts.slice(0, depth).join("/");
    if (tests.some((test) => test.startsWith(`${folder}/`))) return folder;
  }
  return null;
}

/** `pkg/a/x.py` → `pkg`; `packages/core/src/x.ts` → `packages/core`; `src/x.ts` → none. */
function packageRoot(file: string): string | null {
  const [first, second] = dirOf(file);
  if (first === undefined || GENERIC.test(first)) return null;
  if (CONTAINERS.test(first)) return second === undefined ? null : `${first}/${second}`;
  return first;
}

/** How much of its folder path a test shares with the closest localized file (mirrored, then literal). */
function closeness(test: string, localized: readonly string[]): number {
  const testDir = dirOf(test);
  let best = 0;
  for (const source of localized) {
    const sourceDir = dirOf(source);
    const mirrored = commonPrefix(meaningful(testDir), meaningful(sourceDir));
    best = Math.max(best, mirrored * 2 + commonPrefix(testDir, sourceDir));
  }
  return best;
}

function dirOf(file: string): string[] {
  const dir = path.posix.dirname(file.replace(/^\.\//, ""));
  return dir === "." ? [] : dir.split("/");
}

function meaningful(parts: readonly string[]): string[] {
  return parts.filter((part) => !GENERIC.test(part));
}

function startsWith(parts: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((part, i) => parts[i] === part);
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
