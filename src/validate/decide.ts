import { type GroupEvidence, type GroupVerdict, judgeGroup } from "./evidence.ts";

export type DecisionPolicy = {
  /** Ids of the reproduction tests kept (proven failing on the base for the bug). */
  keptReproductionIds: readonly string[];
};

export type Decision = {
  decision: "patch" | "abstain";
  reason: string;
  /** The validated group proposed as the patch (only with "patch"). */
  chosen?: string;
  /** A candidate offered in the report only, never as a PR (only with "abstain"). */
  suggestion?: string;
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
  return {
    decision: "patch",
    chosen: best.key,
    reason:
      `group ${best.key} (${best.votes} vote${best.votes === 1 ? "" : "s"}) turns all ${kept} reproduction ` +
      `test${kept === 1 ? "" : "s"} from failing to passing and breaks no regression test` +
      (validated.length > 1 ? `; ${validated.length} groups were validated, it ranks first` : ""),
    verdicts,
  };
}

function withoutReproduction(groups: readonly GroupEvidence[], verdicts: GroupVerdict[]): Decision {
  const passing = rank(
    groups.filter((_, i) => (verdicts[i]?.broken.length ?? 1) === 0 && verdicts[i]?.refused === undefined),
  );
  const suggestion = passing[0]?.key;
  const base = "no reproduction test could be established, so no candidate has fail-to-pass evidence";
  const offer = suggestion
    ? `; group ${suggestion} breaks no regression test and is offered only as a suggestion`
    : "; no candidate passes the regression tests either";
  return {
    decision: "abstain",
    reason: `${base}${offer}`,
    ...(suggestion ? { suggestion } : {}),
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
