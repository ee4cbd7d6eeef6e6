import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareRuns, findRegressions } from "../../src/repo-tests/baseline.ts";
import { detectFramework } from "../../src/repo-tests/detect.ts";
import { listRepoFiles } from "../../src/repo-tests/discover.ts";
import { isConventionalTest as isTestFile } from "../../src/repo-tests/discovery/heuristic-tests.ts";
import { resolveImports } from "../../src/repo-tests/imports.ts";
import { selectRegressionTests } from "../../src/repo-tests/select.ts";
import type { TestOutcome, TestRunReport } from "../../src/repo-tests/types.ts";
import type { RunResult } from "../../src/sandbox/sandbox.ts";

const fixture = (name: string) => path.resolve("test/fixtures/sandbox", name);
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** The test files of a repository, as the detection lists them. */
function testsOf(root: string, language: "python" | "javascript"): string[] {
  return listRepoFiles(root).filter((file) => isTestFile(file, language));
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autofix-select-"));
  scratch.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe("framework detection", () => {
  it("finds each fixture's framework and its default image", () => {
    const found = (name: string) => {
      const detection = detectFramework(fixture(name));
      return [detection?.framework, detection?.image];
    };
    expect(found("py-calc")).toEqual(["pytest", "autofix/python:3"]);
    expect(found("js-vitest")).toEqual(["vitest", "autofix/node:24"]);
    expect(found("js-jest")).toEqual(["jest", "autofix/node:24"]);
    expect(found("js-mocha")).toEqual(["mocha", "autofix/node:24"]);
    expect(found("js-node-test")).toEqual(["node-test", "autofix/node:24"]);
    expect(detectFramework(fixture("no-tests"))).toBeNull();
  });

  it("reads devDependencies, config files and pyproject, and lets sandbox.test override", () => {
    expect(detectFramework(repo({ "package.json": '{"devDependencies":{"jest":"30"}}' }))?.framework).toBe(
      "jest",
    );
    expect(detectFramework(repo({ "package.json": "{}", ".mocharc.yml": "spec: t" }))?.framework).toBe(
      "mocha",
    );
    expect(detectFramework(repo({ "package.json": "{}", "vitest.config.ts": "" }))?.framework).toBe("vitest");
    expect(detectFramework(repo({ "pyproject.toml": "[tool.pytest.ini_options]\n" }))?.framework).toBe(
      "pytest",
    );
    expect(detectFramework(repo({ "src/m.py": "", "test_m.py": "" }))?.framework).toBe("pytest");
    const custom = detectFramework(fixture("py-calc"), "make check");
    expect([custom?.framework, custom?.runner.plan(null).command]).toEqual(["command", "make check"]);
  });

  it("knows test files by name", () => {
    expect(isTestFile("tests/test_ops.py", "python")).toBe(true);
    expect(isTestFile("pkg/ops_test.py", "python")).toBe(true);
    expect(isTestFile("pkg/ops.py", "python")).toBe(false);
    expect(isTestFile("src/a.spec.ts", "javascript")).toBe(true);
    expect(isTestFile("test/greet.js", "javascript")).toBe(true);
    expect(isTestFile("test/fixtures/data.js", "javascript")).toBe(false);
    expect(isTestFile("src/types.d.ts", "javascript")).toBe(false);
  });
});

describe("imports", () => {
  const files = new Set([
    "src/a.js",
    "src/b/index.ts",
    "lib/c.cjs",
    "pkg/__init__.py",
    "pkg/ops.py",
    "pkg/sub/x.py",
    "src/mod.py",
  ]);
  it("resolves relative JS specifiers with or without extensions", () => {
    const source = `import a from "./a.js";\nexport * from "./b";\nconst c = require('../lib/c.cjs');\nimport("lodash");`;
    expect(resolveImports("src/main.js", source, "javascript", files).sort()).toEqual([
      "lib/c.cjs",
      "src/a.js",
      "src/b/index.ts",
    ]);
  });
  it("resolves Python absolute, from-, relative and src-layout imports", () => {
    const source =
      "import os\nimport pkg.ops\nfrom pkg import sub\nfrom .x import y\nfrom mod import thing\n";
    expect(resolveImports("pkg/sub/t.py", source, "python", files).sort()).toEqual([
      "pkg/__init__.py",
      "pkg/ops.py",
      "pkg/sub/x.py",
      "src/mod.py",
    ]);
  });
});

describe("regression test selection", () => {
  const files: Record<string, string> = {
    "calc/__init__.py": "",
    "calc/ops.py": "def add(a, b): return a + b\n",
    "calc/fmt.py": "from calc.ops import add\n",
    "calc/io.py": "",
    "tests/test_ops.py": "from calc.ops import add\n",
    "tests/test_fmt.py": "from calc import fmt\n",
    "tests/test_io.py": "import calc.io\n",
    "tests/test_misc.py": "import json\n",
  };

  it("ranks tests that import the localized file, then through another file, within the budget", () => {
    const root = repo(files);
    const selection = selectRegressionTests({
      root,
      language: "python",
      testFiles: testsOf(root, "python"),
      localizedFiles: ["calc/ops.py"],
      budget: 2,
      wholeSuiteUpTo: 0,
    });
    expect(selection.wholeSuite).toBe(false);
    expect(selection.totalTestFiles).toBe(4);
    expect(selection.files).toEqual(["tests/test_ops.py", "tests/test_fmt.py"]);
    expect(selection.scored[0]?.reasons).toEqual(
      expect.arrayContaining(["imports calc/ops.py", "named after calc/ops.py"]),
    );
    expect(selection.scored.map((s) => s.file)).not.toContain("tests/test_misc.py");
  });

  it("follows a package root's imports several hops deep (tests that require('..') reach lib/router)", () => {
    const root = repo({
      "index.js": "module.exports = require('./lib/express');\n",
      "lib/express.js": "var app = require('./application');\n",
      "lib/application.js": "var Router = require('./router');\n",
      "lib/router/index.js": "module.exports = function Router() {};\n",
      "lib/utils.js": "exports.x = 1;\n",
      "test/app.options.js": "var express = require('..');\n",
      "test/utils.js": "var utils = require('../lib/utils');\n",
      "test/plain.js": "var assert = require('assert');\n",
    });
    const selection = selectRegressionTests({
      root,
      language: "javascript",
      testFiles: testsOf(root, "javascript"),
      localizedFiles: ["lib/router/index.js"],
      budget: 5,
      wholeSuiteUpTo: 0,
    });
    expect(selection.files).toEqual(["test/app.options.js"]);
    expect(selection.scored[0]?.reasons).toEqual(["reaches lib/router/index.js through its imports"]);
  });

  it("takes the whole suite when it is small", () => {
    const root = repo(files);
    const selection = selectRegressionTests({
      root,
      language: "python",
      testFiles: testsOf(root, "python"),
      localizedFiles: ["calc/ops.py"],
      budget: 1,
      wholeSuiteUpTo: 10,
    });
    expect(selection).toMatchObject({ wholeSuite: true, totalTestFiles: 4 });
    expect(selection.files).toHaveLength(4);
  });

  it("selects JS tests by import and name on the vitest fixture", () => {
    const selection = selectRegressionTests({
      root: fixture("js-vitest"),
      language: "javascript",
      testFiles: testsOf(fixture("js-vitest"), "javascript"),
      localizedFiles: ["src/strings.js"],
      budget: 1,
      wholeSuiteUpTo: 0,
    });
    expect(selection.files).toEqual(["test/strings.test.js"]);
  });
});

describe("baseline comparison", () => {
  const report = (outcomes: Record<string, TestOutcome>, run: Partial<RunResult> = {}): TestRunReport => ({
    framework: "pytest",
    command: "pytest",
    results: Object.entries(outcomes).map(([id, outcome]) => ({ id, file: "t.py", outcome })),
    run: {
      exitCode: 1,
      timedOut: false,
      oomKilled: false,
      outputCapped: false,
      durationMs: 1,
      stdout: "",
      stderr: "",
      truncated: false,
      collected: {},
      ...run,
    },
    noTests: false,
    problem: run.timedOut ? "timed out" : null,
    missing: [],
  });

  it("marks tests whose outcome changes as flaky, and leaves inconclusive runs out", () => {
    const baseline = compareRuns([
      report({ a: "passed", b: "failed", c: "passed", d: "passed" }),
      report({ a: "passed", b: "failed", c: "failed" }),
      report({ a: "failed", b: "passed", c: "failed", d: "failed" }, { timedOut: true }),
    ]);
    expect(baseline.conclusiveRuns).toBe(2);
    expect(baseline.tests.map((t) => [t.id, t.outcome])).toEqual([
      ["a", "passed"],
      ["b", "failed"],
      ["c", "flaky"],
      ["d", "flaky"],
    ]);
    expect(baseline.tests.find((t) => t.id === "d")?.observed).toEqual(["passed", "missing"]);
    expect(baseline.problems).toEqual(["run 3: timed out"]);
  });

  it("finds regressions among steadily passing tests only", () => {
    const baseline = compareRuns([
      report({ a: "passed", b: "passed", c: "failed", f: "passed" }),
      report({ a: "passed", b: "passed", c: "failed", f: "failed" }),
    ]);
    const after = [
      { id: "a", file: null, outcome: "passed" as const },
      { id: "b", file: null, outcome: "error" as const, message: "ImportError" },
      { id: "c", file: null, outcome: "failed" as const },
      { id: "f", file: null, outcome: "failed" as const },
    ];
    expect(findRegressions(baseline, after)).toEqual([
      { id: "b", before: "passed", after: "error", message: "ImportError" },
    ]);
    expect(findRegressions(baseline, after.slice(0, 1))).toEqual([
      { id: "b", before: "passed", after: "missing" },
    ]);
  });
});
