import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import { commandRunner } from "../../src/repo-tests/runners/command.ts";
import { NoTestsError, testRepository } from "../../src/repo-tests/test-repo.ts";
import { DockerSandbox } from "../../src/sandbox/docker-sandbox.ts";
import { dockerGate } from "./docker-gate.ts";

const fixture = (name: string) => path.resolve("test/fixtures/sandbox", name);
const gate = await dockerGate("sandbox test-runner tests");

/** What each fixture's tests do, known from their source. "flaky" = passes about half the time. */
const EXPECTED: Record<string, { framework: string; outcomes: Record<string, string> }> = {
  "py-calc": {
    framework: "pytest",
    outcomes: {
      "tests/test_ops.py::TestAdd::test_add": "passed",
      "tests/test_ops.py::TestAdd::test_add_negative": "passed",
      "tests/test_ops.py::test_sub": "failed",
      "tests/test_ops.py::test_mul[2-3-6]": "passed",
      "tests/test_ops.py::test_mul[0-5-0]": "passed",
      "tests/test_text.py::test_shout": "passed",
      "tests/test_text.py::test_whisper": "skipped",
      "tests/test_text.py::test_flaky_coin": "flaky",
    },
  },
  "js-vitest": {
    framework: "vitest",
    outcomes: {
      "test/math.test.js > math > adds": "passed",
      "test/math.test.js > math > average > of equal values": "passed",
      "test/math.test.js > math > average > rounds to nearest": "failed",
      "test/math.test.js > math > divides": "skipped",
      "test/strings.test.js > shout": "passed",
      "test/strings.test.js > flaky coin": "flaky",
    },
  },
  "js-jest": {
    framework: "jest",
    outcomes: {
      "__tests__/stack.test.js > Stack > starts empty": "passed",
      "__tests__/stack.test.js > Stack > peek > shows the top": "failed",
      "__tests__/stack.test.js > pops": "skipped",
    },
  },
  "js-mocha": {
    framework: "mocha",
    outcomes: {
      "test/greet.spec.js > greet > says hello": "passed",
      "test/greet.spec.js > greet > farewell > says goodbye by name": "failed",
      "test/greet.spec.js > greet > waves": "skipped",
    },
  },
  "js-node-test": {
    framework: "node-test",
    outcomes: {
      "test/clamp.test.js > clamp > keeps values inside": "passed",
      "test/clamp.test.js > clamp > bounds > raises to the low bound": "passed",
      "test/clamp.test.js > clamp > bounds > lowers to the high bound": "failed",
      "test/clamp.test.js > top level": "passed",
    },
  },
};

describe.skipIf(gate.skip)("test runners on the fixture repos (real Docker)", () => {
  let sandbox: DockerSandbox;
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect();
  });
  afterAll(async () => {
    if (sandbox) expect(await sandbox.leftovers()).toEqual([]);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.framework}, every per-test outcome exactly right`, async () => {
      const { detection, baseline } = await testRepository(sandbox, { repoDir: fixture(name), runs: 1 });
      expect(detection.framework).toBe(expected.framework);
      expect(baseline.problems).toEqual([]);
      const got = Object.fromEntries(baseline.tests.map((t) => [t.id, t.outcome]));
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected.outcomes).sort());
      for (const [id, outcome] of Object.entries(expected.outcomes)) {
        if (outcome === "flaky") expect(["passed", "failed"], id).toContain(got[id]);
        else expect(got[id], id).toBe(outcome);
      }
      const failing = baseline.tests.find((t) => t.outcome === "failed");
      expect(failing?.message ?? "").not.toBe("");
    });
  }

  it("runs only the selected tests (ids and whole files)", async () => {
    const py = await testRepository(sandbox, {
      repoDir: fixture("py-calc"),
      selection: ["tests/test_ops.py::test_sub", "tests/test_ops.py::test_mul[0-5-0]"],
      runs: 1,
    });
    expect(py.baseline.tests.map((t) => [t.id, t.outcome])).toEqual([
      ["tests/test_ops.py::test_sub", "failed"],
      ["tests/test_ops.py::test_mul[0-5-0]", "passed"],
    ]);
    const js = await testRepository(sandbox, {
      repoDir: fixture("js-vitest"),
      selection: ["test/math.test.js > math > average > rounds to nearest"],
      runs: 1,
    });
    expect(js.baseline.tests.map((t) => [t.id, t.outcome])).toEqual([
      ["test/math.test.js > math > average > rounds to nearest", "failed"],
    ]);
    const mocha = await testRepository(sandbox, {
      repoDir: fixture("js-mocha"),
      selection: ["test/greet.spec.js > greet > says hello"],
      runs: 1,
    });
    expect(mocha.baseline.tests.map((t) => t.id)).toEqual(["test/greet.spec.js > greet > says hello"]);
    const jest = await testRepository(sandbox, {
      repoDir: fixture("js-jest"),
      selection: ["__tests__/stack.test.js"],
      runs: 1,
    });
    expect(jest.baseline.tests).toHaveLength(3);
  });

  // The flaky tests pass with probability 1/2 per run, so K runs miss them with probability 2·0.5^K.
  it("screens out the flaky pytest test over 12 runs and keeps the stable ones", async () => {
    const { baseline } = await testRepository(sandbox, {
      repoDir: fixture("py-calc"),
      selection: ["tests/test_text.py", "tests/test_ops.py::test_sub"],
      runs: 12,
    });
    expect(baseline.flaky).toEqual(["tests/test_text.py::test_flaky_coin"]);
    const outcome = (id: string) => baseline.tests.find((t) => t.id === id)?.outcome;
    expect(outcome("tests/test_text.py::test_shout")).toBe("passed");
    expect(outcome("tests/test_ops.py::test_sub")).toBe("failed");
    expect(outcome("tests/test_text.py::test_whisper")).toBe("skipped");
  });

  it("screens out the flaky vitest test over 10 runs", async () => {
    const { baseline } = await testRepository(sandbox, {
      repoDir: fixture("js-vitest"),
      selection: ["test/strings.test.js"],
      runs: 10,
    });
    expect(baseline.flaky).toEqual(["test/strings.test.js > flaky coin"]);
    expect(baseline.tests.find((t) => t.id === "test/strings.test.js > shout")?.outcome).toBe("passed");
  });

  it("reports a test file that cannot load as an error of that file, not as a failure", async () => {
    const broken: Record<string, { file: string; content: string }> = {
      "py-calc": {
        file: "tests/test_broken.py",
        content: "import no_such_module\n\ndef test_x():\n    pass\n",
      },
      "js-vitest": {
        file: "test/broken.test.js",
        content: "import { test } from 'vitest';\ntest('x', () => {\n",
      },
      "js-node-test": {
        file: "test/broken.test.js",
        content: "import { test } from 'node:test';\ntest('x', () => {\n",
      },
    };
    for (const [name, { file, content }] of Object.entries(broken)) {
      const repo = await testRepository(sandbox, { repoDir: fixture(name), runs: 1 });
      const report = await runTests(sandbox, {
        image: repo.prepared.image,
        runner: repo.detection.runner,
        selection: [file],
        files: [{ path: file, content }],
      });
      expect(
        report.results.map((r) => [r.id, r.outcome]),
        name,
      ).toEqual([[file, "error"]]);
      expect(report.missing).toEqual([]);
    }
  });

  it("reports a test command that prints megabytes as cut off, not as a result", async () => {
    const report = await runTests(sandbox, {
      image: "autofix/python:3",
      runner: commandRunner("head -c 5000000 /dev/zero | tr '\\0' x; echo; echo done"),
      limits: { outputBytes: 1024 * 1024, timeoutMs: 60_000 },
    });
    expect(report.run.outputCapped).toBe(true);
    expect(report.run.stdout.length).toBeLessThanOrEqual(1024 * 1024);
    expect(report.problem).toMatch(/more output than the sandbox keeps/);
    expect(report.results).toEqual([expect.objectContaining({ id: "command", outcome: "failed" })]);
  });

  it("says plainly that a repository has no tests", async () => {
    const error = await testRepository(sandbox, { repoDir: fixture("no-tests"), runs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoTestsError);
    expect((error as NoTestsError).message).toMatch(/^No tests found in .*no-tests/);
  });
});
