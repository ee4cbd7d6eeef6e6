import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type Language, listRepoFiles, testFiles } from "./discover.ts";
import { commandRunner } from "./runners/command.ts";
import { jestRunner } from "./runners/jest.ts";
import { mochaRunner } from "./runners/mocha.ts";
import { nodeTestRunner } from "./runners/node-test.ts";
import { pytestRunner } from "./runners/pytest.ts";
import { vitestRunner } from "./runners/vitest.ts";
import type { Framework, TestRunner } from "./types.ts";

export type Detection = {
  framework: Framework;
  language: Language;
  runner: TestRunner;
  /** Default image for the language (the repo config's `sandbox.image` wins). */
  image: string;
  testFiles: string[];
  /** Why this framework: the evidence found. */
  reason: string;
};

export const DEFAULT_IMAGES: Record<Language, string> = {
  python: "autofix/python:3",
  javascript: "autofix/node:24",
};

const packageJsonSchema = z
  .object({
    scripts: z.record(z.string(), z.string()).optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
    devDependencies: z.record(z.string(), z.string()).optional(),
    jest: z.unknown().optional(),
    mocha: z.unknown().optional(),
  })
  .loose();

/**
 * The repo's test framework, from package.json (test script, dependencies), config files and test
 * file names. `testCommand` (the repo config's `sandbox.test`) replaces detection: it is judged by
 * its exit code. Null when the repo has no tests we can find.
 */
export function detectFramework(root: string, testCommand: string | null = null): Detection | null {
  const files = listRepoFiles(root);
  const has = (name: string) => files.includes(name);
  const pkg = readPackageJson(root);
  const language: Language = pkg !== null || !files.some((f) => f.endsWith(".py")) ? "javascript" : "python";
  const pythonTests = testFiles(files, "python");
  const jsTests = testFiles(files, "javascript");
  const make = (framework: Framework, lang: Language, runner: TestRunner, reason: string): Detection => ({
    framework,
    language: lang,
    runner,
    image: DEFAULT_IMAGES[lang],
    testFiles: lang === "python" ? pythonTests : jsTests,
    reason,
  });
  if (testCommand !== null)
    return make("command", language, commandRunner(testCommand), "sandbox.test in the repo config");

  if (pkg !== null) {
    const script = pkg.scripts?.test ?? "";
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    const configFile = (prefix: string) => files.find((f) => !f.includes("/") && f.startsWith(prefix));
    const candidates: Array<[Framework, () => TestRunner, boolean, string]> = [
      ["vitest", vitestRunner, /\bvitest\b/.test(script), "the test script runs vitest"],
      ["jest", jestRunner, /\bjest\b/.test(script), "the test script runs jest"],
      ["mocha", mochaRunner, /\bmocha\b/.test(script), "the test script runs mocha"],
      [
        "node-test",
        nodeTestRunner,
        /\bnode\b[^&|;]*--test\b/.test(script),
        "the test script runs node --test",
      ],
      [
        "vitest",
        vitestRunner,
        "vitest" in deps || configFile("vitest.config.") !== undefined,
        "vitest is a dependency or configured",
      ],
      [
        "jest",
        jestRunner,
        "jest" in deps || pkg.jest !== undefined || configFile("jest.config.") !== undefined,
        "jest is a dependency or configured",
      ],
      [
        "mocha",
        mochaRunner,
        "mocha" in deps || pkg.mocha !== undefined || configFile(".mocharc") !== undefined,
        "mocha is a dependency or configured",
      ],
    ];
    const found = candidates.find(([, , matches]) => matches);
    if (found) return make(found[0], "javascript", found[1](), found[3]);
    if (jsTests.length > 0)
      return make("node-test", "javascript", nodeTestRunner(), "JS test files and no framework: node --test");
    if (script !== "" && !/no test specified/.test(script)) {
      return make("command", "javascript", commandRunner("npm test"), "package.json has a test script");
    }
  }
  const pytestConfig =
    has("pytest.ini") ||
    has("conftest.py") ||
    fileMentions(root, "pyproject.toml", "[tool.pytest") ||
    fileMentions(root, "setup.cfg", "[tool:pytest]") ||
    fileMentions(root, "tox.ini", "[pytest]");
  if (pytestConfig || pythonTests.length > 0) {
    return make(
      "pytest",
      "python",
      pytestRunner(),
      pytestConfig ? "pytest is configured" : "test_*.py files",
    );
  }
  return null;
}

function readPackageJson(root: string): z.infer<typeof packageJsonSchema> | null {
  const file = path.join(root, "package.json");
  if (!existsSync(file)) return null;
  try {
    const parsed = packageJsonSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function fileMentions(root: string, name: string, text: string): boolean {
  const file = path.join(root, name);
  return existsSync(file) && readFileSync(file, "utf8").includes(text);
}
