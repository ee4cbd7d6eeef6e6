import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { prepareCandidate } from "../../src/repair/candidate.ts";
import { passesThroughLink } from "../../src/repair/links.ts";
import { indexRepoSource } from "../../src/repair/new-file.ts";
import {
  candidatePathGuard,
  normalizeRepoPath,
  protectedPathMatcher,
  protectionOf,
} from "../../src/repair/protected.ts";
import { filesLoadedByTests } from "../../src/repair/test-loaded-files.ts";
import { ATTACKS, isPythonTest, REAL_FIX, REPO_FILES } from "./protected-pool.ts";

const builtIn = protectedPathMatcher([]);
const ruleOf = (path: string) => builtIn(path)?.rule;

describe("normalizeRepoPath", () => {
  it("strips ./, collapses //, turns \\ into /, resolves .. and refuses what escapes the repository", () => {
    expect(normalizeRepoPath("./a//b/./c.py")).toBe("a/b/c.py");
    expect(normalizeRepoPath("a\\b\\c.py")).toBe("a/b/c.py");
    expect(normalizeRepoPath("src/../.github/workflows/ci.yml")).toBe(".github/workflows/ci.yml");
    expect(normalizeRepoPath("a/../../etc/passwd")).toBeUndefined();
    expect(normalizeRepoPath("/etc/passwd")).toBeUndefined();
    expect(normalizeRepoPath("C:/x")).toBeUndefined();
    expect(normalizeRepoPath("./")).toBeUndefined();
  });
});

describe("the built-in protected paths", () => {
  it("name the rule for each kind of file that judges a fix, whatever the case or spelling of the path", () => {
    expect({
      conftest: ruleOf("tests/conftest.py"),
      rootConftest: ruleOf("CONFTEST.PY"),
      pytestIni: ruleOf("pytest.ini"),
      pyproject: ruleOf("pyproject.toml"),
      gitConfig: ruleOf(".git/config"),
      gitHooks: ruleOf("./.git//hooks/pre-commit"),
      workflowUpper: ruleOf(".GITHUB/workflows/ci.yml"),
      workflowDotDot: ruleOf("lib/../.github/workflows/ci.yml"),
      autofixConfig: ruleOf(".github/autofix.yml"),
      packageJson: ruleOf("package.json"),
      nestedLock: ruleOf("packages/a/yarn.lock"),
      requirements: ruleOf("requirements-dev.txt"),
      mocharc: ruleOf(".mocharc.yml"),
      mochaOpts: ruleOf("test\\mocha.opts"),
      jest: ruleOf("jest.config.ts"),
      craSetup: ruleOf("src/setupTests.js"),
      vitest: ruleOf("vitest.workspace.ts"),
      karma: ruleOf("karma.conf.js"),
      babel: ruleOf(".babelrc"),
      tsconfig: ruleOf("tsconfig.build.json"),
      sitecustomize: ruleOf("lib/sitecustomize.py"),
      pth: ruleOf("foo.pth"),
      travis: ruleOf(".travis.yml"),
      makefile: ruleOf("Makefile"),
      jsTest: ruleOf("lib/router.spec.js"),
      pyTest: ruleOf("pkg/test_core.py"),
      underTests: ruleOf("tests/helpers/setup.js"),
    }).toEqual({
      conftest: "test-files",
      rootConftest: "pytest-infrastructure",
      pytestIni: "pytest-infrastructure",
      pyproject: "pytest-infrastructure",
      gitConfig: "git-internals",
      gitHooks: "git-internals",
      workflowUpper: "github-config",
      workflowDotDot: "github-config",
      autofixConfig: "github-config",
      packageJson: "node-dependencies",
      nestedLock: "node-dependencies",
      requirements: "python-dependencies",
      mocharc: "mocha-infrastructure",
      mochaOpts: "test-files",
      jest: "jest-infrastructure",
      craSetup: "jest-infrastructure",
      vitest: "vitest-infrastructure",
      karma: "karma-infrastructure",
      babel: "transform-config",
      tsconfig: "transform-config",
      sitecustomize: "python-startup-hooks",
      pth: "python-startup-hooks",
      travis: "ci-config",
      makefile: "ci-config",
      jsTest: "test-files",
      pyTest: "test-files",
      underTests: "test-files",
    });
  });

  it("leave the code under repair alone", () => {
    for (const path of ["lib/router/index.js", "textstats/stats.py", "src/repo-tests/run.ts", "README.md"]) {
      expect(builtIn(path), path).toBeUndefined();
    }
  });

  it("refuse a path outside the repository", () => {
    expect(builtIn("../outside.py")?.rule).toBe("outside-repository");
  });

  it("only grow with the configured globs: configuring fewer removes nothing", () => {
    const configured = protectedPathMatcher(["Secrets/**"]);
    expect(configured("secrets/key.pem")?.rule).toBe("configured-protected-paths");
    expect(configured(".github/workflows/ci.yml")?.rule).toBe("github-config");
    expect(protectedPathMatcher([])(".github/workflows/ci.yml")?.rule).toBe("github-config");
  });

  it("say which rule and why in the message", () => {
    expect(builtIn("tests/conftest.py")?.message).toBe(
      "tests/conftest.py is a protected path (test-files: **/tests/**): a patch may change the code under repair, not what judges it",
    );
  });
});

describe("candidatePathGuard", () => {
  const repo = indexRepoSource([...REPO_FILES.keys(), "lib/app.js", "scripts/tool.py", "setup.py"]);
  const guard = candidatePathGuard({ configured: [], isTest: isPythonTest, repo });
  const created = (path: string) => protectionOf(guard, path, { creates: true });

  it("refuses the repository's own tests, as its discovery names them", () => {
    const own = candidatePathGuard({ configured: [], isTest: (path) => path.startsWith("checks/") });
    expect(protectionOf(own, "checks/median.py")?.rule).toBe("test-files");
    expect(protectionOf(own, "textstats/stats.py")).toBeUndefined();
  });

  it("lets a new source file in beside source of its language, inside a package", () => {
    expect(created("textstats/ordering.py")).toBeUndefined();
    expect(created("lib/util.ts")).toBeUndefined();
  });

  it("refuses new files that are not ordinary source beside existing source, saying why", () => {
    expect(created("textstats/stats.py")?.message).toMatch(/exists in the repository/);
    expect(created("notes.txt")?.message).toMatch(/only source files may be created/);
    expect(created("pytest.py")?.message).toMatch(/repository root could shadow/);
    expect(created("newpkg/core.py")?.message).toMatch(/newpkg\/ holds no python source/);
    expect(created("lib/helper.py")?.message).toMatch(/lib\/ holds no python source/);
    expect(created("scripts/json.py")?.message).toMatch(/not a Python package/);
    expect(created("textstats/check_test.py")?.rule).toBe("test-files");
    expect(created("textstats/ordering.py")).toBeUndefined();
  });

  it("refuses a path that goes through a symbolic link in the checkout", () => {
    const root = mkdtempSync(path.join(tmpdir(), "autofix-links-"));
    mkdirSync(path.join(root, "checks"));
    mkdirSync(path.join(root, "lib"));
    writeFileSync(path.join(root, "checks", "helpers.py"), "");
    writeFileSync(path.join(root, "lib", "core.py"), "");
    symlinkSync(path.join(root, "checks"), path.join(root, "alias"));
    symlinkSync(path.join(root, "checks", "helpers.py"), path.join(root, "lib", "helpers.py"));
    const linked = candidatePathGuard({
      configured: [],
      throughLink: (file) => passesThroughLink(root, file),
    });
    expect(protectionOf(linked, "alias/helpers.py")?.rule).toBe("symbolic-link");
    expect(protectionOf(linked, "lib/helpers.py")?.rule).toBe("symbolic-link");
    expect(protectionOf(linked, "lib/core.py")).toBeUndefined();
    expect(protectionOf(linked, "lib/new.py")).toBeUndefined();
  });

  it("refuses files the test command or package.json's jest section loads, wherever they live", () => {
    const root = mkdtempSync(path.join(tmpdir(), "autofix-loaded-"));
    const jest = { setupFiles: ["<rootDir>/lib/polyfills.js"], reporters: [["./tools/reporter.js", {}]] };
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ jest }));
    const files = ["lib/polyfills.js", "tools/reporter.js", "support/env.js", "lib/boot.js", "lib/core.js"];
    const command = "mocha --require support/env --file=./lib/boot.js --reporter /tmp/r.js 'test/a.js'";
    const loaded = filesLoadedByTests(root, command, files);
    expect([...loaded].sort()).toEqual([
      "lib/boot.js",
      "lib/polyfills.js",
      "support/env.js",
      "tools/reporter.js",
    ]);
    const guarded = candidatePathGuard({ configured: [], loadedByTests: loaded });
    expect(protectionOf(guarded, "support/env.js")?.message).toMatch(
      /\(test-loaded: the test command or its config loads it\)/,
    );
    expect(protectionOf(guarded, "lib/core.js")).toBeUndefined();
  });

  it("refuses files the frameworks' own configuration loads: jest/vitest/mocha configs, mocha.opts, pytest plugins", () => {
    const root = mkdtempSync(path.join(tmpdir(), "autofix-config-loaded-"));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write(
      "jest.config.js",
      "module.exports = {\n  setupFilesAfterEnv: ['<rootDir>/tools/jest-env.js'],\n  moduleNameMapper: { '^x$': '<rootDir>/lib/x.js' },\n};\n",
    );
    write(
      "vitest.config.ts",
      "export default { test: { setupFiles: './tools/vitest-setup.ts', globalSetup: [\"tools/global.ts\"] } };\n",
    );
    write(".mocharc.yml", "require:\n  - support/hooks.js\n  - 'support/more'\nspec: test/**/*.js\n");
    write("test/mocha.opts", "--require support/opts-env\n--reporter dot\n");
    write("pytest.ini", "[pytest]\naddopts = -p pkg.plugin --strict-markers\n");
    write("tests/conftest.py", "pytest_plugins = [\n    'fixtures.db',\n    \"fixtures.http\",\n]\n");
    const files = [
      "tools/jest-env.js",
      "tools/vitest-setup.ts",
      "tools/global.ts",
      "support/hooks.js",
      "support/more.js",
      "support/opts-env.js",
      "pkg/plugin.py",
      "fixtures/db.py",
      "fixtures/http/__init__.py",
      "lib/x.js",
      "lib/core.js",
      "tests/conftest.py",
    ];
    const loaded = filesLoadedByTests(root, "", files);
    expect([...loaded].sort()).toEqual([
      "fixtures/db.py",
      "fixtures/http/__init__.py",
      "pkg/plugin.py",
      "support/hooks.js",
      "support/more.js",
      "support/opts-env.js",
      "tools/global.ts",
      "tools/jest-env.js",
      "tools/vitest-setup.ts",
    ]);
  });

  it("judges an edit of an existing file by the path rules only", () => {
    expect(protectionOf(guard, "textstats/stats.py", { creates: false })).toBeUndefined();
  });
});

describe("a pool of candidates that change what judges them", () => {
  const registry = new LanguageRegistry();
  const guard = candidatePathGuard({
    configured: [],
    isTest: isPythonTest,
    repo: indexRepoSource([...REPO_FILES.keys()]),
  });

  it("refuses each one before it is tested, naming the rule; the real fix is accepted", async () => {
    for (const attack of ATTACKS) {
      const candidate = await prepareCandidate(attack.id, attack.text, {
        registry,
        original: REPO_FILES,
        isProtected: guard,
      });
      expect(candidate.status, attack.id).toBe("refused");
      if (candidate.status !== "refused") continue;
      expect(candidate.refusal, attack.id).toBe("protected_path");
      expect(candidate.reason, attack.id).toContain(`${attack.path} is a protected path (${attack.rule}:`);
    }
    const fix = await prepareCandidate(REAL_FIX.id, REAL_FIX.text, {
      registry,
      original: REPO_FILES,
      isProtected: guard,
    });
    expect(fix.status).toBe("accepted");
  });
});
