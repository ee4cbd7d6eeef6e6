import type { CandidateGroup } from "../repair/group.ts";
import type { Sandbox, SandboxFile, SandboxLimits } from "../sandbox/sandbox.ts";
import type { Baseline } from "../testing/baseline.ts";
import { runTests } from "../testing/run-tests.ts";
import type { TestRunner, TestRunReport } from "../testing/types.ts";
import { collectEvidence } from "./collect-evidence.ts";
import { type Decision, decide } from "./decide.ts";
import type { GroupEvidence } from "./evidence.ts";

export type ValidateInput = {
  /** Most votes first; each group is tested once, through its representative. */
  groups: readonly CandidateGroup[];
  /** The kept reproduction test files, written over the workspace in every run. */
  testFiles: readonly SandboxFile[];
  keptIds: readonly string[];
  /** Test files or ids run for every group: the regression selection plus the reproduction files. */
  selection: readonly string[];
  /** `selection` run on the unpatched code (with `testFiles`), screened for flaky tests. */
  baseline: Baseline;
  image: string;
  runner: TestRunner;
  limits: Partial<SandboxLimits>;
  /** Evidence of groups judged in earlier rounds, decided together with the new ones. */
  earlier?: readonly GroupEvidence[];
};

export type ValidateResult = {
  evidence: GroupEvidence[];
  decision: Decision;
  /** Test runs made (one per group). */
  runs: number;
  /** The after-run of each group, by key (its output feeds refinement). */
  reports: Map<string, TestRunReport>;
};

/**
 * Run the tests once per group with its representative applied, collect before/after evidence per
 * test and decide: a patch only from a group whose every kept reproduction test goes fail→pass and
 * which breaks no steadily passing regression test.
 */
export async function validateGroups(
  sandbox: Sandbox,
  input: ValidateInput,
  signal?: AbortSignal,
): Promise<ValidateResult> {
  const evidence: GroupEvidence[] = [...(input.earlier ?? [])];
  const reports = new Map<string, TestRunReport>();
  const known = new Set(evidence.map((group) => group.key));
  for (const group of input.groups) {
    if (known.has(group.key)) continue;
    signal?.throwIfAborted();
    const candidate = group.representative;
    const files: SandboxFile[] = [
      ...candidate.changedPaths.map((path) => ({ path, content: candidate.files.get(path) ?? "" })),
      // The reproduction tests are written last: a candidate cannot weaken them.
      ...input.testFiles,
    ];
    const report = await runTests(sandbox, {
      image: input.image,
      runner: input.runner,
      selection: input.selection,
      files,
      limits: input.limits,
    });
    reports.set(group.key, report);
    evidence.push(
      collectEvidence({
        key: group.key,
        votes: group.votes,
        diffSize: candidate.diffSize,
        keptReproductionIds: input.keptIds,
        reproductionBaseline: input.baseline,
        regressionBaseline: input.baseline,
        after: [report],
      }),
    );
  }
  const decision = decide(evidence, { keptReproductionIds: input.keptIds });
  return { evidence, decision, runs: reports.size, reports };
}
