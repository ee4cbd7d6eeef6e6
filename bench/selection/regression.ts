import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { listRepoFiles } from "../../src/repo-tests/discover.ts";
import { isConventionalTest } from "../../src/repo-tests/discovery/heuristic-tests.ts";
import { selectRegressionTests } from "../../src/repo-tests/select.ts";
import { exportTree } from "./checkout.ts";

const JS_FILE = /\.[cm]?js$/;
const FIXTURES = /(^|\/)fixtures?\//;
const DECLARES_TESTS = /(?:^|[^\w$.])(?:it|test|specify)\s*\(/m;

/**
 * A file mocha can run as a test file: JavaScript outside fixture folders that declares tests.
 * Leaves out aggregators (Hexo's `test/index.js` only `require`s the others inside a describe),
 * support files and fixtures, which suites of this age keep next to their tests under any name.
 */
export function isSuiteFile(file: string, content: string): boolean {
  return JS_FILE.test(file) && !FIXTURES.test(file) && DECLARES_TESTS.test(content);
}

/**
 * The repository's test files: those named by convention, and the suite files under the folders the
 * reproduction files live in (`test/scripts/helpers/is.js` → everything under `test/`), because
 * suites of this age name their files freely and list them in an index or a Makefile.
 */
export function suiteFiles(
  files: readonly string[],
  reproFiles: readonly string[],
  read: (file: string) => string,
): string[] {
  const roots = [...new Set(reproFiles.map((file) => file.split("/")[0] ?? ""))].filter(
    (root) => root !== "",
  );
  const conventional = new Set(files.filter((file) => isConventionalTest(file, "javascript")));
  return files.filter((file) => {
    const underRoot = roots.some((root) => file.startsWith(`${root}/`));
    if (!conventional.has(file) && !underRoot) return false;
    return isSuiteFile(file, read(file));
  });
}

/**
 * Regression test files for a fix: the reproduction files as they were before the fix (their older
 * tests), then tests of the same object (`test/res.format.js` → `test/res.*.js`: Express's tests
 * import the package root, which `selectRegressionTests` reaches only through several hops), then
 * what `selectRegressionTests` ranks among the suite files.
 */
export function regressionSelection(
  gitDir: string,
  commit: string,
  fixedFiles: readonly string[],
  reproFiles: readonly string[],
  budget: number,
): string[] {
  const tree = exportTree(gitDir, commit, "select");
  try {
    const read = (file: string) => readFileSync(path.join(tree, file), "utf8");
    const all = suiteFiles(listRepoFiles(tree), reproFiles, read).sort();
    const prefixes = reproFiles.map((file) => file.replace(/^(.*\/[^/.]+)\..*$/, "$1."));
    const siblings = all.filter(
      (file) => !reproFiles.includes(file) && prefixes.some((prefix) => file.startsWith(prefix)),
    );
    const ranked = selectRegressionTests({
      root: tree,
      language: "javascript",
      localizedFiles: fixedFiles,
      testFiles: all,
      budget,
      wholeSuiteUpTo: 0,
    }).files;
    const existing = reproFiles.filter((file) => all.includes(file));
    const others = [...new Set([...siblings, ...ranked])].filter((file) => !existing.includes(file));
    return [...existing, ...others.slice(0, budget)];
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
