import type { RunResult, SandboxFile } from "../sandbox/sandbox.ts";

export type Framework = "pytest" | "vitest" | "jest" | "mocha" | "node-test" | "command";

export type TestOutcome = "passed" | "failed" | "error" | "skipped";

/**
 * One test's result. `id` is stable across runs:
 * - pytest: its node id, `tests/test_x.py::TestA::test_b[param]`
 * - JS frameworks: `test/a.test.js > suite > inner suite > name`
 * - a file that failed before any test ran (syntax or import error): the file path, outcome "error"
 * - a plain command: `command`.
 */
export type TestResult = {
  id: string;
  file: string | null;
  outcome: TestOutcome;
  durationMs?: number;
  /** First part of the failure or error message. */
  message?: string;
};

/** What to run in the sandbox for one selection, and how to read it back. */
export type TestPlan = {
  /** Shell command, run in the workspace. */
  command: string;
  /** Files put into the container first (e.g. a reporter). */
  files?: SandboxFile[];
  /** Report files to read back. */
  collect: string[];
  /** Where the command writes which framework version ran (`<package>\t<version>\t<location>`). */
  versionFile?: string;
};

export interface TestRunner {
  readonly framework: Framework;
  /** `selection` holds test ids or file paths; null runs the whole suite. */
  plan(selection: readonly string[] | null): TestPlan;
  /** Per-test results from the run (unfiltered: `runTests` keeps the selected ones). */
  parse(run: RunResult): TestResult[];
}

export type TestRunReport = {
  framework: Framework;
  command: string;
  results: TestResult[];
  run: RunResult;
  /** No test ran at all: said plainly in `problem`. */
  noTests: boolean;
  /** Why the per-test results cannot be trusted, when they cannot (timeout, no report...). */
  problem: string | null;
  /** Selected ids no result answered for (not run, or not found). */
  missing: string[];
  /** The framework's version as the container ran it ("2.5.3"), when the runner reports it. */
  frameworkVersion?: string;
};

/** Where runners write their reports inside the container. */
export const REPORT_DIR = "/tmp/autofix-reports";

export const MESSAGE_MAX_CHARS = 2_000;

export function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed.length <= MESSAGE_MAX_CHARS ? trimmed : `${trimmed.slice(0, MESSAGE_MAX_CHARS)}…`;
}

/** POSIX shell single-quoting. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `test/a.test.js > suite > name` */
export function jsTestId(file: string, titles: readonly string[]): string {
  return [file, ...titles].join(" > ");
}

/** The file part of a test id or plain path. */
export function fileOfId(id: string): string {
  return id.split("::")[0]?.split(" > ")[0] ?? id;
}
