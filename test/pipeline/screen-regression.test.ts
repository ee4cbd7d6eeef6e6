import { describe, expect, it } from "vitest";
import { screenTests } from "../../src/pipeline/screen-tests.ts";
import type { TestEnvironment } from "../../src/pipeline/test-environment.ts";
import { commandRunner } from "../../src/repo-tests/runners/command.ts";
import type { TestRunner } from "../../src/repo-tests/types.ts";
import type { RunResult, RunSpec, Sandbox } from "../../src/sandbox/sandbox.ts";

/** How each test file behaves in the FAKE sandbox: its tests' outcomes, or a hang. */
type FakeFile = { tests: Record<string, "passed" | "failed">; seconds: number } | "hangs";

/** A runner whose command names the files; the fake sandbox prints `id outcome` lines for them. */
const lineRunner: TestRunner = {
  framework: "pytest",
  plan: (selection) => ({ command: `run ${(selection ?? []).join(" ")}`, collect: [] }),
  parse: (run) =>
    run.stdout
      .split("\n")
      .filter((line) => line.includes(" "))
      .map((line) => {
        const [id = "", outcome] = line.split(" ");
        return { id, file: id.split("::")[0] ?? null, outcome: outcome === "passed" ? "passed" : "failed" };
      }),
};

/** A hanging file is killed early here (its own limit is the rest of the budget, at least 30 s). */
const HANG_MS = 5_000;

function fakeSandbox(files: Record<string, FakeFile>, exitCode = 0): Sandbox & { commands: string[] } {
  const commands: string[] = [];
  const result = (partial: Partial<RunResult>): RunResult => ({
    exitCode,
    timedOut: false,
    oomKilled: false,
    outputCapped: false,
    durationMs: 0,
    stdout: "",
    stderr: "",
    truncated: false,
    collected: {},
    ...partial,
  });
  return {
    commands,
    prepare: () => Promise.reject(new Error("not used")),
    cleanupOrphans: () => Promise.resolve(0),
    run: (spec: RunSpec) => {
      const command = Array.isArray(spec.command) ? spec.command.join(" ") : spec.command;
      commands.push(command);
      const named = command.split(" ").slice(1);
      const behaviours = named.map((file) => files[file]);
      if (behaviours.includes("hangs")) {
        return Promise.resolve(result({ timedOut: true, durationMs: HANG_MS }));
      }
      const lines = named.flatMap((file) => {
        const behaviour = files[file];
        if (behaviour === undefined || behaviour === "hangs") return [];
        return Object.entries(behaviour.tests).map(([test, outcome]) => `${file}::${test} ${outcome}`);
      });
      const seconds = behaviours.reduce(
        (sum, b) => sum + (b === undefined || b === "hangs" ? 0 : b.seconds),
        0,
      );
      return Promise.resolve(result({ stdout: lines.join("\n"), durationMs: seconds * 1000 }));
    },
  };
}

function environment(regression: string[], overrides: Partial<TestEnvironment> = {}): TestEnvironment {
  return {
    detection: {
      framework: "pytest",
      language: "python",
      runner: lineRunner,
      image: "autofix/python:3",
      testFiles: regression,
      testSource: "pytest.ini [pytest]: testpaths tests",
      testsByConvention: false,
      isTest: () => true,
      reason: "pytest is configured",
    },
    image: "img",
    limits: { memoryBytes: 1, cpus: 1, pids: 1, timeoutMs: 200_000, outputBytes: 1_000_000 },
    regression,
    regressionScope: "package",
    testSource: "pytest.ini [pytest]: testpaths tests",
    setup: { ran: false, cached: true, seconds: 0 },
    clamped: [],
    ...overrides,
  };
}

describe("regression screening reports what ran and what was left out", () => {
  it("counts tests and files, names files that hang or do not fit the time budget", async () => {
    const sandbox = fakeSandbox({
      "tests/a.py": { tests: { one: "passed", two: "failed" }, seconds: 10 },
      "tests/hang.py": "hangs",
      "tests/b.py": { tests: { three: "passed" }, seconds: 95 },
      "tests/c.py": { tests: { four: "passed" }, seconds: 1 },
    });
    const env = environment(["tests/a.py", "tests/hang.py", "tests/b.py", "tests/c.py"]);
    const { regression, notes } = await screenTests(env, [], sandbox);
    expect(regression.selection).toEqual(["tests/a.py", "tests/b.py"]);
    expect(regression.summary).toMatchObject({
      tests: 3,
      passing: 2,
      files: 2,
      scope: "package",
      source: "pytest.ini [pytest]: testpaths tests",
    });
    expect(regression.summary?.leftOut.map((entry) => entry.file)).toEqual(["tests/hang.py", "tests/c.py"]);
    expect(regression.summary?.leftOut[0]?.reason).toMatch(/timed out/);
    expect(regression.summary?.leftOut[1]?.reason).toMatch(
      /^time budget: .* took \d+ s of the 100 s allowed/,
    );
    expect(regression.summary?.why).toBeUndefined();
    expect(notes.join("\n")).toContain("their package's 4 test files are run instead");
  });

  it("says why there is no evidence: nothing discovered, everything left out", async () => {
    const none = await screenTests(environment([]), [], fakeSandbox({}));
    expect(none.regression.summary).toMatchObject({
      tests: 0,
      scope: "none",
      why: "the test discovery found no test file",
    });
    const hanging = await screenTests(
      environment(["tests/hang.py"]),
      [],
      fakeSandbox({ "tests/hang.py": "hangs" }),
    );
    expect(hanging.regression.selection).toEqual([]);
    expect(hanging.regression.summary).toMatchObject({
      scope: "none",
      why: "all 1 selected test files were left out",
      leftOut: [{ file: "tests/hang.py" }],
    });
  });

  it("counts a plain test command as one whole-suite test, evidence only when it passes before any patch", async () => {
    const command = (exitCode: number) =>
      screenTests(
        environment([], {
          detection: {
            ...environment([]).detection,
            framework: "command",
            runner: commandRunner("make check"),
          },
          regressionScope: "command",
        }),
        [],
        fakeSandbox({}, exitCode),
      );
    const passing = await command(0);
    expect(passing.regression.selection).toBeNull();
    expect(passing.regression.summary).toMatchObject({
      tests: 1,
      passing: 1,
      files: 0,
      scope: "command",
      command: "make check",
    });
    expect((await command(2)).regression.summary).toMatchObject({
      passing: 0,
      why: "the test command does not pass steadily on the unpatched code",
    });
  });
});
