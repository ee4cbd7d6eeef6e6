import { LanguageRegistry } from "../../src/code-index/languages.ts";
import type { CandidateContext } from "../../src/repair/candidate.ts";
import { buildPool } from "../../src/repair/pool.ts";
import { protectedPathMatcher } from "../../src/repair/protected.ts";
import type { TestRunReport } from "../../src/repo-tests/types.ts";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { GroupEvidence } from "../../src/validate/evidence.ts";
import { validateGroups } from "../../src/validate/validate.ts";
import type { PreparedBug } from "./bug.ts";
import type { ScriptedAnswer } from "./pools.ts";

export type PoolOutcome = {
  candidates: number;
  accepted: number;
  groups: number;
  refused: number;
  /** Sandbox test runs made, and the runs testing every accepted candidate on its own would take. */
  runs: number;
  runsWithoutGrouping: number;
  decision: "patch" | "abstain";
  reason: string;
  /** Kinds of the answers in the chosen group (empty when abstaining). */
  chosenKinds: string[];
  /** The gold answer's group was validated (null when the pool has no gold). */
  goldValidated: boolean | null;
  /** Gold and its reformatted twins landed in one group (null when the pool has no gold). */
  twinsGrouped: boolean | null;
  /** A patch proposed although its own evidence lacks fail→pass or shows a regression. */
  unsupported: boolean;
  /**
   * Regression tests run with the chosen group (with gold's group when abstaining with gold in the
   * pool), and of those the ones that passed steadily before: the only ones a patch can break.
   */
  regressionRan: number;
  regressionSteady: number;
  /** A patch proposed with no steadily passing regression test run (no regression evidence at all). */
  withoutRegressionTests: boolean;
  goldVerdict: string;
};

const registry = new LanguageRegistry();

export async function evaluatePool(
  sandbox: Sandbox,
  bug: PreparedBug,
  answers: readonly ScriptedAnswer[],
): Promise<PoolOutcome> {
  const context: CandidateContext = {
    registry,
    original: bug.original,
    isProtected: protectedPathMatcher([]),
  };
  const pool = await buildPool(answers, context);
  const result = await validateGroups(sandbox, {
    groups: pool.groups,
    reproduction: bug.reproduction,
    regression: bug.regression,
    image: bug.image,
    runner: bug.runner,
    limits: bug.limits,
  });
  const keptIds = bug.reproduction.ids;
  const kindOf = new Map(answers.map((answer) => [answer.id, answer.kind]));
  const groupOf = (id: string) => pool.groups.find((group) => group.members.includes(id));
  const chosen = pool.groups.find((group) => group.key === result.decision.chosen);
  const goldGroup = groupOf("gold");
  const goldEvidence = result.evidence.find((group) => group.key === goldGroup?.key);
  const goldVerdict = result.decision.verdicts.find((verdict) => verdict.key === goldGroup?.key);
  const hasGold = kindOf.has("gold");
  const twins = answers.filter((answer) => answer.kind === "gold-reformatted").map((answer) => answer.id);
  const accepted = pool.candidates.filter((candidate) => candidate.status === "accepted").length;
  const chosenEvidence = result.evidence.find((group) => group.key === result.decision.chosen);
  const shown = chosenEvidence ?? goldEvidence;
  const steady = (shown?.regression ?? []).filter((test) => test.before === "passed").length;
  return {
    candidates: pool.candidates.length,
    accepted,
    groups: pool.groups.length,
    refused: pool.candidates.length - accepted,
    runs: result.runs,
    // Each member of a group would have needed the runs its representative needed.
    runsWithoutGrouping: pool.groups.reduce(
      (sum, group) => sum + (result.reports.get(group.key)?.length ?? 0) * group.votes,
      0,
    ),
    decision: result.decision.decision,
    reason: result.decision.reason,
    chosenKinds: chosen ? chosen.members.map((id) => kindOf.get(id) ?? id) : [],
    goldValidated: hasGold ? (goldVerdict?.validated ?? false) : null,
    twinsGrouped: hasGold ? twins.every((id) => groupOf(id)?.key === goldGroup?.key) : null,
    unsupported:
      result.decision.decision === "patch" &&
      (chosenEvidence === undefined || !hasFailToPassEvidence(chosenEvidence, keptIds)),
    regressionRan: shown?.regression.length ?? 0,
    regressionSteady: steady,
    withoutRegressionTests: result.decision.decision === "patch" && steady === 0,
    goldVerdict: goldEvidence
      ? `${describe(goldEvidence, keptIds)}${failureOf(result.reports.get(goldEvidence.key), keptIds)}`
      : "gold not in an accepted group",
  };
}

/**
 * Checked here independently of `decide`: every kept reproduction test failed before and passes
 * after, and no test that passed before fails after.
 */
export function hasFailToPassEvidence(group: GroupEvidence, keptIds: readonly string[]): boolean {
  if (keptIds.length === 0) return false;
  const reproOk = keptIds.every((id) => {
    const test = group.reproduction.find((evidence) => evidence.id === id);
    return (
      test !== undefined && (test.before === "failed" || test.before === "error") && test.after === "passed"
    );
  });
  const noRegression = group.regression.every((test) => test.before !== "passed" || test.after === "passed");
  return reproOk && noRegression;
}

/** The first kept reproduction test's failure message after the run, for a left-out bug's reason. */
function failureOf(reports: TestRunReport[] | undefined, keptIds: readonly string[]): string {
  const report = reports?.[0];
  if (!report) return "";
  if (report.problem) return ` (${report.problem.split("\n")[0]})`;
  const failed = report.results.find((r) => keptIds.includes(r.id) && r.outcome !== "passed");
  return failed?.message ? ` (${failed.message.split("\n")[0]?.slice(0, 200)})` : "";
}

function describe(group: GroupEvidence, keptIds: readonly string[]): string {
  const repro = group.reproduction.map((test) => `${test.before}→${test.after}`).join(", ");
  const broken = group.regression.filter((test) => test.before === "passed" && test.after !== "passed");
  return `reproduction ${repro || "none"} of ${keptIds.length}; ${broken.length} regression(s)${
    broken.length > 0
      ? `: ${broken
          .slice(0, 2)
          .map((test) => `${test.id} →${test.after}`)
          .join("; ")}`
      : ""
  }`;
}
