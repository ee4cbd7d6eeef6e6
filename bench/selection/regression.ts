import { rmSync } from "node:fs";
import { listRepoFiles, testFiles } from "../../src/testing/discover.ts";
import { selectRegressionTests } from "../../src/testing/select.ts";
import { exportTree } from "./checkout.ts";

/**
 * Regression test files for a fix: the reproduction files as they were before the fix (their older
 * tests), then tests of the same object (`test/res.format.js` → `test/res.*.js`: Express's tests
 * import the package root, so `selectRegressionTests`, which follows direct imports and one hop,
 * finds nothing or only same-folder files for a lib file), then what `selectRegressionTests` ranks.
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
    const all = testFiles(listRepoFiles(tree), "javascript").sort();
    const prefixes = reproFiles.map((file) => file.replace(/^(.*\/[^/.]+)\..*$/, "$1."));
    const siblings = all.filter(
      (file) => !reproFiles.includes(file) && prefixes.some((prefix) => file.startsWith(prefix)),
    );
    const ranked = selectRegressionTests({
      root: tree,
      language: "javascript",
      localizedFiles: fixedFiles,
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
