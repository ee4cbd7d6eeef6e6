import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { indexRepoSource } from "../../src/repair/new-file.ts";
import { buildPool } from "../../src/repair/pool.ts";
import { candidatePathGuard, type PathGuard } from "../../src/repair/protected.ts";
import { compareRuns } from "../../src/repo-tests/baseline.ts";
import type { TestResult, TestRunner, TestRunReport } from "../../src/repo-tests/types.ts";
import type { RunResult, RunSpec, Sandbox } from "../../src/sandbox/sandbox.ts";
import type { RegressionSuite, ReproductionSuite } from "../../src/validate/suites.ts";
import { validateGroups } from "../../src/validate/validate.ts";
import { ATTACKS, type Attack, isPythonTest, REAL_FIX, REPO_FILES } from "../repair/protected-pool.ts";

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
