import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverTests } from "../../src/repo-tests/discovery/discover-tests.ts";

/** A repository made of the given files (content "" unless given). */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "autofix-discovery-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}
const pkg = (value: object) => JSON.stringify(value);

describe("discoverTests: mocha", () => {
  it("falls back to name conventions, and says so, when the script runs a build file (ESLint 2016)", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({
          scripts: { test: "node Makefile.js test" },
          devDependencies: { mocha: "^2.4.5" },
        }),
        "lib/rules/no-extra-semi.js": "",
        "tests/lib/rules/no-extra-semi.js": "",
        "tests/lib/eslint.js": "",
        "tests/fixtures/rules/bad.js": "",
        "tests/bench/large.js": "",
      }),
    );
    expect(found?.framework).toBe("mocha");
    expect(found?.files).toEqual(["tests/lib/eslint.js", "tests/lib/rules/no-extra-semi.js"]);
    expect(found?.heuristic).toBe(true);
    expect(found?.source).toContain("names no existing test file");
    expect(found?.isTest("tests/lib/rules/new-rule.js")).toBe(true);
    expect(found?.isTest("tests/fixtures/rules/x.js")).toBe(false);
  });

  it("reads specs and options from the test script, dropping what the runner sets itself", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({
          scripts: { test: "NODE_ENV=test mocha --require should -R spec --ui tdd --recursive test/unit" },
        }),
        "test/unit/a.js": "",
        "test/unit/deep/b.js": "",
        "test/integration/c.js": "",
        "test/unit/notes.md": "",
      }),
    );
    expect(found?.files).toEqual(["test/unit/a.js", "test/unit/deep/b.js"]);
    expect(found?.frameworkArgs).toEqual(["--require", "should", "--ui", "tdd"]);
    expect(found?.heuristic).toBe(false);
    expect(found?.source).toContain("scripts.test: mocha");
  });

  it("follows npm run into the script that runs mocha, through istanbul's `--`", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({
          scripts: {
            test: "npm run lint && npm run unit",
            lint: "eslint .",
            unit: "istanbul cover node_modules/.bin/_mocha -- -R dot 'test/**/*.spec.js'",
          },
        }),
        "test/a.spec.js": "",
        "test/sub/b.spec.js": "",
        "test/helper.js": "",
      }),
    );
    expect(found?.framework).toBe("mocha");
    expect(found?.files).toEqual(["test/a.spec.js", "test/sub/b.spec.js"]);
  });

  it("follows `make test-all` into the Makefile's recipes and variables (hessian.js 2015)", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({ scripts: { test: "make test-all" }, devDependencies: { mocha: "*" } }),
        Makefile: [
          "TESTS = test/*.test.js",
          "TIMEOUT = 5000",
          "install:",
          "\t@npm install",
          "test: install",
          "\t@NODE_ENV=test ./node_modules/.bin/mocha \\",
          "\t\t--reporter spec --timeout $(TIMEOUT) \\",
          "\t\t$(TESTS)",
          "test-all: test jshint",
          "jshint:",
          "\t@./node_modules/.bin/jshint .",
          "",
        ].join("\n"),
        "test/a.test.js": "",
        "test/utils.js": "",
      }),
    );
    expect(found?.files).toEqual(["test/a.test.js"]);
    expect(found?.frameworkArgs).toEqual(["--timeout", "5000"]);
    expect(found?.heuristic).toBe(false);
  });

  it("keeps the order the specs name the files in: a root hook of the first file runs first (shields 2017)", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({
          scripts: { test: "npm run test:js", "test:js": "mocha '*.spec.js' 'lib/**/*.spec.js'" },
        }),
        "server.spec.js": "",
        "lib/b.spec.js": "",
        "lib/a.spec.js": "",
        "lib/deep/c.spec.js": "",
      }),
    );
    expect(found?.files).toEqual(["server.spec.js", "lib/a.spec.js", "lib/b.spec.js", "lib/deep/c.spec.js"]);
  });

  it("lets sh expand unquoted globs (no globstar, byte order, no dot files) and mocha quoted ones", () => {
    const files = {
      "test/a.js": "",
      "test/B.js": "",
      "test/_c.js": "",
      "test/.hidden.js": "",
      "test/sub/d.js": "",
      "test/sub/deeper/e.js": "",
    };
    const run = (test: string) =>
      discoverTests(
        repo({ "package.json": pkg({ scripts: { test }, devDependencies: { mocha: "^4.0.0" } }), ...files }),
      )?.files;
    expect(run("mocha test/**/*.js")).toEqual(["test/sub/d.js"]);
    expect(run("mocha 'test/**/*.js'")).toEqual([
      "test/B.js",
      "test/_c.js",
      "test/a.js",
      "test/sub/d.js",
      "test/sub/deeper/e.js",
    ]);
    expect(run("mocha test/sub/*.js test/*.js")).toEqual([
      "test/sub/d.js",
      "test/B.js",
      "test/_c.js",
      "test/a.js",
    ]);
    expect(run('mocha "test/"*.js test/[!a]*.js')).toEqual(["test/B.js", "test/_c.js", "test/a.js"]);
    // No match: sh passes the word on and mocha globs it itself, with globstar.
    expect(run("mocha test/**/e.js")).toEqual(["test/sub/deeper/e.js"]);
  });

  it("reads test/mocha.opts (mocha < 8) and .mocharc.yml", () => {
    const opts = discoverTests(
      repo({
        "package.json": pkg({ scripts: { test: "mocha" }, devDependencies: { mocha: "~3.1.0" } }),
        "test/mocha.opts": "--require test/support/env\n--recursive\ntest/specs\n",
        "test/specs/x/one.js": "",
        "test/support/env.js": "",
      }),
    );
    expect(opts?.files).toEqual(["test/specs/x/one.js"]);
    expect(opts?.source).toContain("test/mocha.opts");
    const rc = discoverTests(
      repo({
        "package.json": pkg({ scripts: { test: "mocha" }, devDependencies: { mocha: "^10.0.0" } }),
        ".mocharc.yml": "spec: 'spec/**/*.test.js'\n",
        "test/mocha.opts": "ignored/by/mocha/10",
        "spec/a/x.test.js": "",
        "spec/a/x.js": "",
      }),
    );
    expect(rc?.files).toEqual(["spec/a/x.test.js"]);
  });

  it("uses mocha's default ./test, not recursive, when nothing names a spec", () => {
    const found = discoverTests(
      repo({ "package.json": pkg({ scripts: { test: "mocha" } }), "test/a.js": "", "test/sub/b.js": "" }),
    );
    expect(found?.files).toEqual(["test/a.js"]);
    expect(found?.heuristic).toBe(true);
  });
});

describe("discoverTests: jest, vitest, node --test", () => {
  it("reads jest testMatch and roots from package.json", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({
          scripts: { test: "jest --runInBand --coverage" },
          jest: { roots: ["<rootDir>/src"], testMatch: ["**/*.check.js"] },
        }),
        "src/a.check.js": "",
        "src/a.test.js": "",
        "other/b.check.js": "",
      }),
    );
    expect(found?.framework).toBe("jest");
    expect(found?.files).toEqual(["src/a.check.js"]);
    expect(found?.frameworkArgs).toEqual(["--runInBand"]);
  });

  it("uses jest's defaults without config", () => {
    const found = discoverTests(
      repo({
        "package.json": pkg({ devDependencies: { jest: "^29" } }),
        "src/__tests__/a.js": "",
        "src/b.test.ts": "",
        "src/c.js": "",
        "node_modules/x/d.test.js": "",
      }),
    );
    expect(found?.files).toEqual(["src/__tests__/a.js", "src/b.test.ts"]);
  });

  it("reads vitest include and node --test arguments", () => {
    const vitest = discoverTests(
      repo({
        "package.json": pkg({ scripts: { test: "vitest run" } }),
        "vitest.config.ts": "export default { test: { include: ['checks/**/*.ts'] } }",
        "checks/a.ts": "",
        "src/b.test.ts": "",
      }),
    );
    expect(vitest?.files).toEqual(["checks/a.ts"]);
    const node = discoverTests(
      repo({
        "package.json": pkg({ scripts: { test: "node --test test/" } }),
        "test/a.mjs": "",
        "test/x/b.js": "",
      }),
    );
    expect(node?.framework).toBe("node-test");
    expect(node?.files).toEqual(["test/a.mjs", "test/x/b.js"]);
  });
});

describe("discoverTests: pytest", () => {
  it("reads testpaths and python_files from tox.ini, with path patterns (pytest's own layout)", () => {
    const found = discoverTests(
      repo({
        "tox.ini":
          "[tox]\nenvlist = py\n\n[pytest]\ntestpaths = testing\npython_files = test_*.py *_test.py testing/python/*.py\n",
        "src/_pytest/main.py": "",
        "testing/test_main.py": "",
        "testing/python/collect.py": "",
        "testing/example_scripts/conftest.py": "",
        "doc/test_doc.py": "",
      }),
    );
    expect(found?.framework).toBe("pytest");
    expect(found?.files).toEqual(["testing/python/collect.py", "testing/test_main.py"]);
    expect(found?.source).toContain("tox.ini");
    expect(found?.isTest("testing/test_new.py")).toBe(true);
    expect(found?.isTest("doc/test_doc.py")).toBe(false);
  });

  it("reads pyproject.toml arrays and setup.cfg continuation lines", () => {
    const toml = discoverTests(
      repo({
        "pyproject.toml":
          '[tool.pytest.ini_options]\ntestpaths = [\n  "tests",\n]\npython_files = "check_*.py"\n',
        "tests/check_a.py": "",
        "tests/test_b.py": "",
        "pkg/check_c.py": "",
      }),
    );
    expect(toml?.files).toEqual(["tests/check_a.py"]);
    const cfg = discoverTests(
      repo({
        "setup.cfg":
          "[metadata]\nname = x\n[tool:pytest]\ntestpaths =\n    xarray/tests\n    properties\naddopts = --ignore=xarray/tests/slow\n",
        "xarray/core/a.py": "",
        "xarray/tests/test_a.py": "",
        "xarray/tests/slow/test_s.py": "",
        "properties/test_p.py": "",
        "asv_bench/test_bench.py": "",
      }),
    );
    expect(cfg?.files).toEqual(["properties/test_p.py", "xarray/tests/test_a.py"]);
  });

  it("uses pytest's defaults without config, skipping norecursedirs", () => {
    const found = discoverTests(
      repo({
        "pkg/mod.py": "",
        "pkg/tests/test_mod.py": "",
        ".hidden/test_x.py": "",
        "pkg/mod_test.py": "",
        "app/tests.py": "",
      }),
    );
    expect(found?.files).toEqual(["app/tests.py", "pkg/mod_test.py", "pkg/tests/test_mod.py"]);
    expect(found?.heuristic).toBe(true);
  });

  it("skips path-style norecursedirs, takes test*.txt doctests, and reads tox's pytest paths (pytest, flask, requests)", () => {
    const found = discoverTests(
      repo({
        "tox.ini": "[pytest]\ntestpaths = testing\nnorecursedirs = testing/example_scripts .*\n",
        "testing/test_a.py": "",
        "testing/example_scripts/test_fixture.py": "",
        "testing/static/test.txt": "",
        "testing/notes.txt": "",
      }),
    );
    expect(found?.files).toEqual(["testing/static/test.txt", "testing/test_a.py"]);
    const tox = discoverTests(
      repo({
        "pytest.ini": "[pytest]\naddopts = -p no:warnings --doctest-modules\n",
        "tox.ini": "[testenv]\ndeps = pytest\ncommands =\n    pytest tests {posargs}\n",
        "tests/test_x.py": "",
        "tests/compat.py": "",
        "docs/test_conf.py": "",
      }),
    );
    expect(tox?.files).toEqual(["tests/compat.py", "tests/test_x.py"]);
    expect(tox?.wholeSuite).toEqual(["tests"]);
    expect(tox?.source).toContain("tox.ini [testenv] commands: pytest tests");
  });

  it("never follows a symlinked configuration file out of the repository", () => {
    const outside = repo({ "pytest.ini": "[pytest]\ntestpaths = elsewhere\n" });
    const root = repo({ "tests/test_a.py": "" });
    symlinkSync(path.join(outside, "pytest.ini"), path.join(root, "pytest.ini"));
    expect(discoverTests(root)?.files).toEqual(["tests/test_a.py"]);
  });

  it("finds nothing in a repository without tests", () => {
    expect(discoverTests(repo({ "src/a.py": "", "README.md": "" }))).toBeNull();
    expect(discoverTests(repo({ "package.json": pkg({}), "index.js": "" }))).toBeNull();
  });
});
