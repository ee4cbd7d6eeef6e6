import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { selectRegressionTests } from "../../src/repo-tests/select.ts";
import { widenSelection } from "../../src/repo-tests/widen.ts";

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-widen-"));
  scratch.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe("widening when no regression test relates to the localized files", () => {
  it("takes the tests of a mirrored folder, nearest first, before the rest of the suite", () => {
    const tests = [
      "tests/bin/cli.js",
      "tests/lib/linter/z.js",
      "tests/lib/linter/code-path/a.js",
      "tests/lib/x.js",
    ];
    expect(widenSelection(tests, ["lib/linter/code-path/analyzer.js"])).toEqual({
      scope: "package",
      files: ["tests/lib/linter/code-path/a.js", "tests/lib/linter/z.js"],
    });
  });

  it("takes the tests of the same top-level package (a monorepo's package is the folder below packages/)", () => {
    expect(
      widenSelection(
        ["tests/test_misc.py", "pydicom/tests/test_dataset.py", "other/tests/test_x.py"],
        ["pydicom/pixels/rle.py"],
      ),
    ).toEqual({ scope: "package", files: ["pydicom/tests/test_dataset.py"] });
    expect(
      widenSelection(
        ["packages/cli/test/run.test.ts", "packages/core/test/parse.test.ts"],
        ["packages/core/src/lexer.ts"],
      ),
    ).toEqual({ scope: "package", files: ["packages/core/test/parse.test.ts"] });
  });

  it("takes the tests under the nearest folder above the source that holds any", () => {
    expect(
      widenSelection(["src/__tests__/app.test.ts", "e2e/flow.test.ts"], ["src/server/routes/user.ts"]),
    ).toEqual({ scope: "package", files: ["src/__tests__/app.test.ts"] });
  });

  it("falls back to the whole suite, nearest first, when the package has no test of its own", () => {
    expect(widenSelection(["test/b.js", "test/a.js", "spec/lib/c.js"], ["lib/c/impl.js"])).toEqual({
      scope: "suite",
      files: ["spec/lib/c.js", "test/a.js", "test/b.js"],
    });
    // a package that would be the whole suite is named the whole suite
    expect(widenSelection(["pkg/t/test_a.py"], ["pkg/a.py"]).scope).toBe("suite");
  });
});

describe("selectRegressionTests reads the discovered test files, then widens", () => {
  const files = {
    "lib/rules/no-alert.js": "module.exports = {};\n",
    "lib/util/glob.js": "module.exports = {};\n",
    "lib/util/deep/walk.js": "module.exports = {};\n",
    "tests/lib/rules/no-alert.js": "var rule = require('../../../lib/rules/no-alert');\n",
    "tests/lib/util/glob.js": "var glob = require('../../../lib/util/glob');\n",
    "tests/bin/eslint.js": "var cp = require('child_process');\n",
  };
  const discovered = ["tests/bin/eslint.js", "tests/lib/rules/no-alert.js", "tests/lib/util/glob.js"];
  const select = (localizedFiles: string[], testFiles: string[], budget = 1) =>
    selectRegressionTests({
      root: repo(files),
      language: "javascript",
      localizedFiles,
      testFiles,
      budget,
      wholeSuiteUpTo: 0,
    });

  it("uses the discovered list as the only source of test files (no name convention needed)", () => {
    const selection = select(["lib/rules/no-alert.js"], discovered);
    expect(selection).toMatchObject({ scope: "related", files: ["tests/lib/rules/no-alert.js"] });
    expect(selection.totalTestFiles).toBe(3);
  });

  it("selects nothing, scope none, when discovery found no test file", () => {
    expect(select(["lib/rules/no-alert.js"], [])).toMatchObject({ scope: "none", files: [] });
  });

  it("widens to the package, not cut to the file budget (the screening keeps what fits in time)", () => {
    const selection = select(["lib/util/deep/walk.js"], discovered, 0);
    expect(selection.scored).toEqual([]);
    expect(selection).toMatchObject({ scope: "package", files: ["tests/lib/util/glob.js"] });
  });

  it("widens to the whole suite when the localized file's package has no test", () => {
    const selection = select(["index.js"], discovered, 0);
    expect(selection.scope).toBe("suite");
    expect([...selection.files].sort()).toEqual(discovered);
  });
});
