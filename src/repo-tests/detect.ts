import { type Language, listRepoFiles } from "./discover.ts";
import { discoverTests } from "./discovery/discover-tests.ts";
import { isConventionalTest } from "./discovery/heuristic-tests.ts";
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
  /** The repository's test files, as its own configuration names them (see `testSource`). */
  testFiles: string[];
  /** Where `testFiles` came from: the configuration read, or the name conventions used. */
  testSource: string;
  /** Nothing configured named the tests: framework defaults or name conventions chose them. */
  testsByConvention: boolean;
  /** Whether a path (existing or new) would be one of the repository's tests. */
  isTest: (path: string) => boolean;
  /** Why this framework: the evidence found. */
  reason: string;
};

export const DEFAULT_IMAGES: Record<Language, string> = {
  python: "autofix/python:3",
  javascript: "autofix/node:24",
};

/**
 * The repo's test framework and test files, from its own configuration (see discoverTests).
 * `testCommand` (the repo config's `sandbox.test`) replaces the runner: it is judged by its exit
 * code. Null when the repo has no tests we can find.
 */
export function detectFramework(root: string, testCommand: string | null = null): Detection | null {
  const files = listRepoFiles(root);
  const discovery = discoverTests(root, files);
  if (testCommand !== null) {
    const language: Language =
      discovery?.language ?? (files.some((file) => file.endsWith(".py")) ? "python" : "javascript");
    return {
      framework: "command",
      language,
      runner: commandRunner(testCommand),
      image: DEFAULT_IMAGES[language],
      testFiles: discovery?.files ?? [],
      testSource: discovery?.source ?? "no test files found",
      testsByConvention: discovery?.heuristic ?? true,
      isTest: discovery?.isTest ?? ((file) => isConventionalTest(file, language)),
      reason: "sandbox.test in the repo config",
    };
  }
  if (discovery === null) return null;
  return {
    framework: discovery.framework,
    language: discovery.language,
    runner: runnerFor(
      discovery.framework,
      discovery.frameworkArgs,
      discovery.files,
      discovery.wholeSuite ?? null,
    ),
    image: DEFAULT_IMAGES[discovery.language],
    testFiles: discovery.files,
    testSource: discovery.source,
    testsByConvention: discovery.heuristic,
    isTest: discovery.isTest,
    reason: discovery.source,
  };
}

function runnerFor(
  framework: Framework,
  args: readonly string[],
  files: readonly string[],
  wholeSuite: readonly string[] | null,
): TestRunner {
  switch (framework) {
    case "mocha":
      return wholeSuiteAs(mochaRunner({ args }), files);
    case "node-test":
      return wholeSuiteAs(nodeTestRunner(), files);
    case "jest":
      return jestRunner({ args });
    case "vitest":
      return vitestRunner({ args });
    case "pytest":
      return wholeSuite === null ? pytestRunner({ args }) : wholeSuiteAs(pytestRunner({ args }), wholeSuite);
    case "command":
      return commandRunner("npm test");
  }
}

/**
 * Mocha and node --test find their files from their own command line, not from a config file that a
 * plain run reads: the whole suite is the discovered files, named (for pytest, the paths the
 * repository's own tox command passes).
 */
function wholeSuiteAs(runner: TestRunner, files: readonly string[]): TestRunner {
  if (files.length === 0) return runner;
  return { ...runner, plan: (selection) => runner.plan(selection ?? files) };
}
