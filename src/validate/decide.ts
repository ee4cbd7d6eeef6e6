import type { SuggestionBasis } from "../contract/report.ts";
import { type GroupEvidence, type GroupVerdict, judgeGroup } from "./evidence.ts";

export type DecisionPolicy = {
  /** Ids of the reproduction tests kept (proven failing on the base for the bug). */
  keptReproductionIds: readonly string[];
  /** `validation.allowPatchWithoutRegressionTests`: a patch may rest on the reproduction tests alone. */
  allowPatchWithoutRegressionTests?: boolean;
  /** Why no regression test could run, when the screening knows (none found, all left out…). */
  whyNoRegressionTests?: string;
};

export type Decision = {
  decision: "patch" | "abstain";
  reason: string;
  /** The validated group proposed as the patch (only with "patch"). */
  chosen?: string;
  /** A candidate offered in the report only, never as a PR (only with "abstain"). */
  suggestion?: string;
  /** What the suggestion lacks to be a patch. */
  suggestionBasis?: SuggestionBasis;
  verdicts: GroupVerdict[];
};

/**
 * The decision, as data. A patch only ever comes from a validated group (every kept reproduction
 * test fail→pass, no regression pass→fail), ranked by votes, then by the smaller diff.
 */
export function decide(groups: readonly GroupEvidence[], policy: DecisionPolicy): Decision {
  const verdicts = groups.map((group) => judgeGroup(group, policy.keptReproductionIds));
  if (groups.length === 0) {
    return { decision: "abstain", reason: "no usable candidate patch to validate", verdicts };
  }
  if (policy.keptReproductionIds.length === 0) return withoutReproduction(groups, verdicts);
  const validated = rank(groups.filter((_, i) => verdicts[i]?.validated));
  const best = validated[0];
  if (!best) {
    return { decision: "abstain", reason: `no group was validated: ${whyNot(groups, verdicts)}`, verdicts };
  }
  const kept = policy.keptReproductionIds.length;
  const fixes =
    `group ${best.key} (${best.votes} vote${best.votes === 1 ? "" : "s"}) turns all ${kept} reproduction ` +
    `test${kept === 1 ? "" : "s"} from failing to passing`;
  const others = validated.length > 1 ? `; ${validated.length} groups were validated, it ranks first` : "";
  const held = steadyRegressionTests(best);
  if (held === 0) {
    const why = `no regression test could run (${whyNone(best, policy)})`;
    if (!policy.allowPatchWithoutRegressionTests) {
      return {
        decision: "abstain",
        reason:
          `${why}; a candidate that fixes the reproduction tests is offered as a suggestion only. ` +
          "Set validation.allowPatchWithoutRegressionTests to accept such patches.",
        suggestion: best.key,
        suggestionBasis: "no-regression",
        verdicts,
      };
    }
    return {
      decision: "patch",
      chosen: best.key,
      reason: `${fixes}; ${why}, accepted because validation.allowPatchWithoutRegressionTests is set${others}`,
      verdicts,
    };
  }
  return {
    decision: "patch",
    chosen: best.key,
    reason: `${fixes} and breaks no regression test (${held} that passed before still pass)${others}`,
    verdicts,
  };
}

/** Regression tests that passed steadily on the unpatched code: the only ones a candidate can break. */
function steadyRegressionTests(group: GroupEvidence): number {
  return group.regression.filter((test) => test.before === "passed").length;
}

function whyNone(group: GroupEvidence, policy: DecisionPolicy): string {
  if (policy.whyNoRegressionTests !== undefined) return policy.whyNoRegressionTests;
  const ran = group.regression.length;
  return ran > 0
    ? `none of the ${ran} regression test${ran === 1 ? "" : "s"} run passed steadily on the unpatched code`
    : "none was selected";
}

function withoutReproduction(groups: readonly GroupEvidence[], verdicts: GroupVerdict[]): Decision {
  const passing = rank(
    groups.filter((_, i) => (verdicts[i]?.broken.length ?? 1) === 0 && verdicts[i]?.refused === undefined),
  );
  const best = passing[0];
  const base = "no reproduction test could be established, so no candidate has fail-to-pass evidence";
  const held = best ? steadyRegressionTests(best) : 0;
  const offer = !best
    ? "; no candidate passes the regression tests either"
    : held > 0
      ? `; group ${best.key} breaks no regression test (${held} that passed before still pass) and is offered only as a suggestion`
      : `; group ${best.key} is offered only as a suggestion, unchecked: no regression test could run`;
  return {
    decision: "abstain",
    reason: `${base}${offer}`,
    ...(best ? { suggestion: best.key, suggestionBasis: "no-reproduction" as const } : {}),
    verdicts,
  };
}

function rank(groups: GroupEvidence[]): GroupEvidence[] {
  return [...groups].sort(
    (a, b) => b.votes - a.votes || a.diffSize - b.diffSize || a.key.localeCompare(b.key),
  );
}

function whyNot(groups: readonly GroupEvidence[], verdicts: GroupVerdict[]): string {
  return groups
    .map((group, i) => {
      const verdict = verdicts[i];
      if (!verdict) return `${group.key}: not judged`;
      if (verdict.refused !== undefined) return `${group.key} refused untested: ${verdict.refused}`;
      const parts: string[] = [];
      if (verdict.notFixed.length > 0) {
        parts.push(
          `reproduction not fixed (${verdict.notFixed.map((t) => `${t.id}: ${t.before}→${t.after}`).join(", ")})`,
        );
      }
      if (verdict.broken.length > 0) {
        parts.push(`breaks ${verdict.broken.map((t) => `${t.id} (→${t.after})`).join(", ")}`);
      }
      return `${group.key} ${parts.join(" and ")}`;
    })
    .join("; ");
}
