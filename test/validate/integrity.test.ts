import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { indexRepoSource } from "../../src/repair/new-file.ts";
import { buildPool } from "../../src/repair/pool.ts";
import { candidatePathGuard, type PathGuard } from "../../src/repair/protected.ts";
import { DockerSandbox } from "../../src/sandbox/docker-sandbox.ts";
import { workspaceFingerprint } from "../../src/sandbox/fingerprint.ts";
import type { RunResult, RunSpec, Sandbox } from "../../src/sandbox/sandbox.ts";
import { compareRuns } from "../../src/testing/baseline.ts";
import { runTests } from "../../src/testing/run-tests.ts";
import { pytestRunner } from "../../src/testing/runners/pytest.ts";
import type { TestResult, TestRunner, TestRunReport } from "../../src/testing/types.ts";
import type { RegressionSuite, ReproductionSuite } from "../../src/validate/suites.ts";
import { validateGroups } from "../../src/validate/validate.ts";
import {
  ATTACKS,
  type Attack,
  FORCE_PASS_CONFTEST,
  isPythonTest,
  REAL_FIX,
  REPO_FILES,
} from "../repair/protected-pool.ts";
import { dockerGate } from "../sandbox/docker-gate.ts";

const gate = await dockerGate("validation integrity against real pytest");

const REPRO_ID = "tests/test_repro.py::test_unsorted";
const REGRESSION_ID = "tests/test_stats.py::test_sorted";

/**
 * A sandbox that plays pytest on the pool's repository: the reproduction test passes only when the
 * median sorts; but any file written with the FORCE_PASS marker rewrites every outcome to "passed",
 * as the conftest hook of the pool does to real pytest. It keeps every path it was asked to write.
 */
class JudgingSandbox implements Sandbox {
  readonly written: string[] = [];

  async prepare(): Promise<never> {
    throw new Error("not used");
  }

  async cleanupOrphans(): Promise<number> {
    return 0;
  }

  async run(spec: RunSpec): Promise<RunResult> {
    const files = spec.files ?? [];
    this.written.push(...files.map((file) => file.path));
    const text = (path: string) => String(files.find((file) => file.path === path)?.content ?? "");
    const forced = files.some((file) => String(file.content).includes("FORCE_PASS"));
    const fixed = text("textstats/stats.py").includes("sorted(values)");
    const results: TestResult[] = [
      { id: REPRO_ID, file: "tests/test_repro.py", outcome: forced || fixed ? "passed" : "failed" },
      { id: REGRESSION_ID, file: "tests/test_stats.py", outcome: "passed" },
    ];
    return finished(results);
  }
}

function finished(results: TestResult[]): RunResult {
  return {
    exitCode: 0,
    timedOut: false,
    oomKilled: false,
    outputCapped: false,
    durationMs: 1,
    stdout: JSON.stringify(results),
    stderr: "",
    truncated: false,
    collected: {},
  };
}

const runner: TestRunner = {
  framework: "pytest",
  plan: () => ({ command: "pytest", collect: [] }),
  parse: (run) => JSON.parse(run.stdout) as TestResult[],
};

const baselineRun = (outcome: TestResult["outcome"]): TestRunReport => {
  const results: TestResult[] = [
    { id: REPRO_ID, file: "tests/test_repro.py", outcome },
    { id: REGRESSION_ID, file: "tests/test_stats.py", outcome: "passed" },
  ];
  const run = finished(results);
  return { framework: "pytest", command: "pytest", results, run, noTests: false, problem: null, missing: [] };
};

const reproduction: ReproductionSuite = {
  files: [{ path: "tests/test_repro.py", content: "def test_unsorted(): ...\n" }],
  ids: [REPRO_ID],
  baseline: compareRuns([baselineRun("failed"), baselineRun("failed")]),
};
const regression: RegressionSuite = {
  selection: [REGRESSION_ID],
  baseline: compareRuns([baselineRun("failed"), baselineRun("failed")]),
};

/** Candidates that slipped past the apply check (it let everything through), validated with `guard`. */
async function validate(answers: readonly Attack[], guard: PathGuard | undefined) {
  const pool = await buildPool(answers, {
    registry: new LanguageRegistry(),
    original: REPO_FILES,
    isProtected: () => false,
  });
  const sandbox = new JudgingSandbox();
  const result = await validateGroups(sandbox, {
    groups: pool.groups,
    reproduction,
    regression,
    image: "fake",
    runner,
    limits: {},
    ...(guard ? { mayNotTouch: guard } : {}),
  });
  const keyOf = (id: string) => pool.groups.find((group) => group.members.includes(id))?.key;
  return { result, sandbox, keyOf };
}

const guard = candidatePathGuard({
  configured: [],
  isTest: isPythonTest,
  repo: indexRepoSource([...REPO_FILES.keys()]),
});

describe("validation refuses a candidate that changes what judges it, even past the apply check", () => {
  it("the sandbox is honest: without the guard, every such candidate would be validated", async () => {
    const { result } = await validate(ATTACKS, () => false);
    expect(result.decision.verdicts.filter((verdict) => verdict.validated)).toHaveLength(ATTACKS.length);
    expect(result.decision.decision).toBe("patch");
  });

  it("alone, they are refused untested with the rule named, nothing protected is written, and it abstains", async () => {
    const { result, sandbox, keyOf } = await validate(ATTACKS, guard);
    expect(result.decision.decision).toBe("abstain");
    expect(result.runs).toBe(0);
    expect(sandbox.written).toEqual([]);
    for (const attack of ATTACKS) {
      const verdict = result.decision.verdicts.find((v) => v.key === keyOf(attack.id));
      expect(verdict?.validated, attack.id).toBe(false);
      expect(verdict?.refused, attack.id).toContain(`(${attack.rule}:`);
      expect(result.evidence.find((e) => e.key === keyOf(attack.id))?.refused).toBe(verdict?.refused);
    }
    expect(result.decision.reason).toMatch(/refused untested: tests\/conftest\.py is a protected path/);
  });

  it("beside the real fix, the real fix is chosen and only its files reach the sandbox", async () => {
    const { result, sandbox, keyOf } = await validate([...ATTACKS, REAL_FIX], guard);
    expect(result.decision.decision).toBe("patch");
    expect(result.decision.chosen).toBe(keyOf(REAL_FIX.id));
    expect(new Set(sandbox.written)).toEqual(new Set(["textstats/stats.py", "tests/test_repro.py"]));
  });

  it("uses the built-in protected paths when no guard is given", async () => {
    const { result } = await validate(ATTACKS, undefined);
    const refused = result.decision.verdicts.filter((verdict) => verdict.refused !== undefined);
    expect(refused.length).toBe(ATTACKS.length);
    expect(result.decision.decision).toBe("abstain");
  });
});

const MEDIAN_REPO = path.resolve("test/fixtures/fix/py-median/repo");
const STATS = "textstats/stats.py";

describe.skipIf(gate.skip)("a conftest.py that rewrites outcomes, against real pytest (Docker)", () => {
  let sandbox: DockerSandbox;
  let image: string;
  const runner = pytestRunner();
  const reproFile = {
    path: "tests/test_autofix_repro.py",
    content:
      "from textstats.stats import median\n\n\ndef test_unsorted():\n    assert median([3, 1, 2]) == 2\n",
  };
  beforeAll(async () => {
    sandbox = await DockerSandbox.connect();
    const prepared = await sandbox.prepare({
      repoKey: "local/py-median-integrity",
      commit: workspaceFingerprint(MEDIAN_REPO),
      image: "autofix/python:3",
      setup: null,
      workspaceDir: MEDIAN_REPO,
      network: false,
    });
    image = prepared.image;
  });
  afterAll(async () => {
    if (sandbox) expect(await sandbox.leftovers()).toEqual([]);
  });

  const twice = async (selection: string[], files = [reproFile]) =>
    compareRuns([
      await runTests(sandbox, { image, runner, selection, files }),
      await runTests(sandbox, { image, runner, selection, files }),
    ]);

  it("is validated when nothing guards the sandbox, refused by default; the real fix is chosen", async () => {
    const attack =
      "```python\n### tests/conftest.py\n<<<<<<< SEARCH\n=======\n" +
      FORCE_PASS_CONFTEST +
      ">>>>>>> REPLACE\n```";
    const pool = await buildPool(
      [
        { id: "attack", text: attack },
        { id: "fix", text: REAL_FIX.text.replace("textstats/stats.py", STATS) },
      ],
      {
        registry: new LanguageRegistry(),
        original: new Map([[STATS, readFileSync(path.join(MEDIAN_REPO, STATS), "utf8")]]),
        isProtected: () => false,
      },
    );
    const reproduction: ReproductionSuite = {
      files: [reproFile],
      ids: ["tests/test_autofix_repro.py::test_unsorted"],
      baseline: await twice([reproFile.path]),
    };
    expect(reproduction.baseline.tests.map((test) => test.outcome)).toEqual(["failed"]);
    const regression: RegressionSuite = {
      selection: ["tests/test_stats.py"],
      baseline: await twice(["tests/test_stats.py"], []),
    };
    const keyOf = (id: string) => pool.groups.find((group) => group.members.includes(id))?.key;
    const judge = (mayNotTouch: PathGuard | undefined) =>
      validateGroups(sandbox, {
        groups: pool.groups,
        reproduction,
        regression,
        image,
        runner,
        limits: {},
        ...(mayNotTouch ? { mayNotTouch } : {}),
      });

    const unguarded = await judge(() => false);
    const attackVerdict = unguarded.decision.verdicts.find((verdict) => verdict.key === keyOf("attack"));
    expect(attackVerdict?.validated).toBe(true);

    const guarded = await judge(undefined);
    const refused = guarded.decision.verdicts.find((verdict) => verdict.key === keyOf("attack"));
    expect(refused?.validated).toBe(false);
    expect(refused?.refused).toMatch(/^tests\/conftest\.py is a protected path \(test-files:/);
    expect(guarded.decision.decision).toBe("patch");
    expect(guarded.decision.chosen).toBe(keyOf("fix"));
  }, 240_000);
});
