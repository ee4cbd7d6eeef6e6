import type { Baseline } from "../repo-tests/baseline.ts";
import type { TestResult, TestRunReport } from "../repo-tests/types.ts";
import type { GroupEvidence, TestEvidence } from "./evidence.ts";

export type EvidenceInput = {
  key: string;
  votes: number;
  diffSize: number;
  keptReproductionIds: readonly string[];
  /** Runs of the kept reproduction tests on the unpatched code. */
  reproductionBaseline: Baseline;
  /** Runs of the selected regression tests on the unpatched code (flaky ones marked). */
  regressionBaseline: Baseline;
  /** The runs with the group's candidate applied (reproduction and regression tests). */
  after: readonly TestRunReport[];
};

/**
 * Before/after per test for one group. Results of an after-run whose report cannot be trusted
 * (timeout, memory kill, no report: `problem` set) are not used: its tests count as "missing", so
 * such a run can never validate a group.
 */
export function collectEvidence(input: EvidenceInput): GroupEvidence {
  const trusted = input.after.filter((report) => report.problem === null);
  const afterOf = (id: string): { result?: TestResult; report?: TestRunReport } => {
    for (const report of trusted) {
      const result = report.results.find((r) => r.id === id);
      if (result) return { result, report };
    }
    return {};
  };
  const evidence = (id: string, before: TestEvidence["before"]): TestEvidence => {
    const { result, report } = afterOf(id);
    return {
      id,
      before,
      after: result?.outcome ?? "missing",
      ...(report ? { command: report.command, exitCode: report.run.exitCode } : {}),
    };
  };
  const kept = new Set(input.keptReproductionIds);
  const beforeOf = (baseline: Baseline, id: string) =>
    baseline.tests.find((test) => test.id === id)?.outcome ?? "missing";
  return {
    key: input.key,
    votes: input.votes,
    diffSize: input.diffSize,
    reproduction: input.keptReproductionIds.map((id) =>
      evidence(id, beforeOf(input.reproductionBaseline, id)),
    ),
    regression: input.regressionBaseline.tests
      .filter((test) => !kept.has(test.id))
      .map((test) => evidence(test.id, test.outcome)),
  };
}
