import type { ObservedOutcome } from "../repo-tests/baseline.ts";

/** One test, run on the unpatched code and with a group's candidate applied. */
export type TestEvidence = {
  id: string;
  /** On the unpatched code; "flaky" when repeated baseline runs disagreed. */
  before: ObservedOutcome | "flaky";
  after: ObservedOutcome;
  command?: string;
  exitCode?: number | null;
};

export type GroupEvidence = {
  key: string;
  votes: number;
  /** Lines added plus removed by the group's representative. */
  diffSize: number;
  /** One entry per kept reproduction test (a test missing here counts as not shown to pass). */
  reproduction: TestEvidence[];
  /** The selected regression tests. */
  regression: TestEvidence[];
  /** Set when the group writes a path a candidate may not write: it is refused untested (the rules named). */
  refused?: string;
};

export type GroupVerdict = {
  key: string;
  validated: boolean;
  /** Kept reproduction tests that went fail→pass. */
  fixed: string[];
  /** Kept reproduction tests without fail→pass evidence, with what was seen. */
  notFixed: { id: string; before: string; after: string }[];
  /** Regression tests that passed steadily before and do not pass now. */
  broken: { id: string; after: string }[];
  /** Why the group was refused untested (it writes a protected path); never validated then. */
  refused?: string;
};

const FAILING: ReadonlySet<string> = new Set(["failed", "error"]);

/**
 * Judge one group against the kept reproduction tests. Validated means: at least one kept test,
 * each failing before and passing after, and no steadily passing regression test failing after.
 * A refused group (it writes a protected path) is never validated, whatever its tests would say.
 */
export function judgeGroup(group: GroupEvidence, keptReproductionIds: readonly string[]): GroupVerdict {
  if (group.refused !== undefined) {
    return { key: group.key, validated: false, fixed: [], notFixed: [], broken: [], refused: group.refused };
  }
  const fixed: string[] = [];
  const notFixed: GroupVerdict["notFixed"] = [];
  for (const id of keptReproductionIds) {
    const test = group.reproduction.find((evidence) => evidence.id === id);
    if (test && FAILING.has(test.before) && test.after === "passed") fixed.push(id);
    else notFixed.push({ id, before: test?.before ?? "not run", after: test?.after ?? "not run" });
  }
  const broken = group.regression
    .filter((test) => test.before === "passed" && test.after !== "passed")
    .map((test) => ({ id: test.id, after: test.after }));
  const validated = keptReproductionIds.length > 0 && notFixed.length === 0 && broken.length === 0;
  return { key: group.key, validated, fixed, notFixed, broken };
}
