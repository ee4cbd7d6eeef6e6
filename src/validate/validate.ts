import type { CandidateGroup } from "../repair/group.ts";
import { type PathGuard, protectedPathMatcher } from "../repair/protected.ts";
import { runTests } from "../repo-tests/run-tests.ts";
import type { TestRunner, TestRunReport } from "../repo-tests/types.ts";
import type { Sandbox, SandboxFile, SandboxLimits } from "../sandbox/sandbox.ts";
import { collectEvidence } from "./collect-evidence.ts";
import { type Decision, decide } from "./decide.ts";
import type { GroupEvidence } from "./evidence.ts";
import type { RegressionSuite, ReproductionSuite } from "./suites.ts";
import { sandboxWrites } from "./writes.ts";

export type ValidateInput = {
  /** Most votes first; each group is tested once, through its representative. */
  groups: readonly CandidateGroup[];
  /** The kept reproduction tests (written over the workspace last) and their baseline. */
  reproduction: ReproductionSuite;
  regression: RegressionSuite;
  image: string;
  runner: TestRunner;
  limits: Partial<SandboxLimits>;
  /** Evidence of groups judged in earlier rounds, decided together with the new ones. */
  earlier?: readonly GroupEvidence[];
  /** What a candidate may not write (the repair stage's guard); the built-in protected paths without it. */
  mayNotTouch?: PathGuard;
  /** `validation.allowPatchWithoutRegressionTests` (default false). */
  allowPatchWithoutRegressionTests?: boolean;
};

export type ValidateResult = {
  evidence: GroupEvidence[];
  decision: Decision;
  /** Sandbox test runs made. */
  runs: number;
  /** The test runs of each group, by key (their output feeds refinement). */
  reports: Map<string, TestRunReport[]>;
};

/**
 * Test each group with its representative applied: first the kept reproduction tests; only a group
 * that turns them all to passing (or any group, when there is none) then runs the regression
 * selection — the slow part, spared for candidates that do not fix the bug. The decision: a patch
 * only from a group whose every kept reproduction test goes fail→pass and which breaks no steadily
 * passing regression test.
 */
export async function validateGroups(
  sandbox: Sandbox,
  input: ValidateInput,
  signal?: AbortSignal,
): Promise<ValidateResult> {
  const evidence: GroupEvidence[] = [...(input.earlier ?? [])];
  const reports = new Map<string, TestRunReport[]>();
  const known = new Set(evidence.map((group) => group.key));
  const { reproduction, regression } = input;
  let runs = 0;
  const mayNotTouch = input.mayNotTouch ?? protectedPathMatcher([]);
  const run = (selection: readonly string[] | null, files: SandboxFile[]) => {
    runs++;
    return runTests(sandbox, {
      image: input.image,
      runner: input.runner,
      selection,
      files,
      limits: input.limits,
    });
  };
  for (const group of input.groups) {
    if (known.has(group.key)) continue;
    signal?.throwIfAborted();
    const candidate = group.representative;
    // Belt and braces: a protected path never reaches the sandbox, and such a group is refused untested.
    const { files: patched, refused } = sandboxWrites(candidate, mayNotTouch);
    if (refused.length > 0) {
      evidence.push({ ...untested(group), refused: refused.map((hit) => hit.message).join("; ") });
      continue;
    }
    const after: TestRunReport[] = [];
    if (reproduction.ids.length > 0) {
      // The reproduction tests are written last: a candidate cannot weaken them.
      const report = await run(
        reproduction.files.map((file) => file.path),
        [...patched, ...reproduction.files],
      );
      after.push(report);
    }
    const fixesAll = reproduction.ids.every(
      (id) => after[0]?.results.find((r) => r.id === id)?.outcome === "passed" && after[0]?.problem === null,
    );
    const hasRegression = regression.selection === null || regression.selection.length > 0;
    if (fixesAll && hasRegression) {
      after.push(await run(regression.selection, patched));
    }
    reports.set(group.key, after);
    const judged = collectEvidence({
      key: group.key,
      votes: group.votes,
      diffSize: candidate.diffSize,
      keptReproductionIds: reproduction.ids,
      reproductionBaseline: reproduction.baseline,
      regressionBaseline: regression.baseline,
      after,
    });
    // Regression tests not run (the bug is not fixed) are left out, not counted as broken.
    evidence.push(fixesAll ? judged : { ...judged, regression: [] });
  }
  const decision = decide(evidence, {
    keptReproductionIds: reproduction.ids,
    allowPatchWithoutRegressionTests: input.allowPatchWithoutRegressionTests ?? false,
    ...(regression.summary?.why ? { whyNoRegressionTests: regression.summary.why } : {}),
  });
  return { evidence, decision, runs, reports };
}

function untested(group: CandidateGroup): GroupEvidence {
  const { key, votes } = group;
  return { key, votes, diffSize: group.representative.diffSize, reproduction: [], regression: [] };
}
