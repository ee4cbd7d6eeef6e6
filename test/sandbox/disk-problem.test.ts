import { describe, expect, it } from "vitest";
import { problemOf } from "../../src/repo-tests/runners/run-problem.ts";
import type { RunResult } from "../../src/sandbox/sandbox.ts";

const run = (overrides: Partial<RunResult>): RunResult => ({
  exitCode: 137,
  timedOut: false,
  oomKilled: false,
  outputCapped: false,
  durationMs: 1_200,
  stdout: "",
  stderr: "",
  truncated: false,
  collected: {},
  ...overrides,
});

describe("a run killed at the disk limit (issue #12, finding 4)", () => {
  it("is reported as such, not as a test failure", () => {
    const input = {
      framework: "pytest" as const,
      command: "pytest",
      resultCount: 3,
      reports: [],
      identity: null,
    };
    expect(problemOf({ ...input, run: run({ diskExceeded: true }) })).toMatch(/disk limit/);
    expect(problemOf({ ...input, run: run({ exitCode: 0 }) })).toBeNull();
  });
});
