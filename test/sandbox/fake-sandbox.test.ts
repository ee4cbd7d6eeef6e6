import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runTests } from "../../src/repo-tests/run-tests.ts";
import { pytestRunner } from "../../src/repo-tests/runners/pytest.ts";
import { type FakeRule, FakeSandbox } from "../fakes/fake-sandbox.ts";

// The fake's contract, through the real pytest runner: what it reports must parse as pytest's would.

function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), "autofix-fake-sandbox-"));
  mkdirSync(path.join(root, "tests"));
  writeFileSync(path.join(root, "calc.py"), "def add(a, b):\n    return a - b\n");
  writeFileSync(
    path.join(root, "tests", "test_calc.py"),
    "def test_add():\n    pass\n\n\ndef test_zero():\n    pass\n",
  );
  writeFileSync(path.join(root, "tests", "test_other.py"), "def test_other():\n    pass\n");
  return root;
}

const rules: FakeRule[] = [
  {
    test: "tests/test_calc.py::test_add",
    outcome: (ws) =>
      ws.read("calc.py")?.includes("a + b") ? "passed" : { outcome: "failed", message: "assert -1 == 3" },
  },
  { test: /::test_slow$/, outcome: "hang" },
  { file: "tests/test_broken.py", loadError: () => "ModuleNotFoundError: No module named 'nowhere'" },
];

describe("FakeSandbox", () => {
  it("runs the files the command names, judged by the workspace with the run's files written over it", async () => {
    const sandbox = new FakeSandbox({ rules });
    const { image } = await sandbox.prepare({
      repoKey: "k",
      commit: "c",
      image: "b",
      setup: null,
      workspaceDir: workspace(),
      network: false,
    });
    const runner = pytestRunner();
    const before = await runTests(sandbox, { image, runner, selection: ["tests/test_calc.py"] });
    expect(before.results.map((r) => [r.id, r.outcome, r.message])).toEqual([
      ["tests/test_calc.py::test_add", "failed", "assert -1 == 3"],
      ["tests/test_calc.py::test_zero", "passed", undefined],
    ]);
    expect(before.problem).toBeNull();
    const fixed = [{ path: "calc.py", content: "def add(a, b):\n    return a + b\n" }];
    const after = await runTests(sandbox, { image, runner, selection: ["tests/test_calc.py"], files: fixed });
    expect(after.results.map((r) => r.outcome)).toEqual(["passed", "passed"]);
    expect(sandbox.runs.map((run) => run.testFiles)).toEqual([
      ["tests/test_calc.py"],
      ["tests/test_calc.py"],
    ]);
    const whole = await runTests(sandbox, { image, runner, selection: null });
    expect(whole.results.map((r) => r.id)).toContain("tests/test_other.py::test_other");
  });

  it("reports a file that cannot load as pytest's collection error, and a hang as a timeout with no report", async () => {
    const sandbox = new FakeSandbox({ rules });
    const { image } = await sandbox.prepare({
      repoKey: "k",
      commit: "c",
      image: "b",
      setup: null,
      workspaceDir: workspace(),
      network: false,
    });
    const runner = pytestRunner();
    const broken = [
      { path: "tests/test_broken.py", content: "from nowhere import x\n\n\ndef test_x():\n    pass\n" },
    ];
    const load = await runTests(sandbox, {
      image,
      runner,
      selection: ["tests/test_broken.py"],
      files: broken,
    });
    expect(load.results).toEqual([
      expect.objectContaining({
        id: "tests/test_broken.py",
        outcome: "error",
        message: expect.stringMatching(/ModuleNotFoundError/),
      }),
    ]);
    const slow = [
      { path: "tests/test_slow.py", content: "def test_slow():\n    while True:\n        pass\n" },
    ];
    const hang = await runTests(sandbox, {
      image,
      runner,
      selection: ["tests/test_slow.py"],
      files: slow,
      limits: { timeoutMs: 5_000 },
    });
    expect(hang.run).toMatchObject({ timedOut: true, durationMs: 5_000, collected: {} });
    expect(hang.results).toEqual([]);
    expect(hang.problem).toMatch(/timed out after 5\.0s/);
  });

  it("refuses an image it did not prepare", async () => {
    await expect(new FakeSandbox().run({ image: "autofix/python:3", command: "true" })).rejects.toThrow(
      /not prepared/,
    );
  });
});
