import { describe, expect, it } from "vitest";
import { decide } from "../../src/validate/decide.ts";
import { type GroupEvidence, judgeGroup, type TestEvidence } from "../../src/validate/evidence.ts";

const KEPT = ["tests/test_repro.py::test_mean_of_two", "tests/test_repro.py::test_mean_of_one"];

const fixed = (id: string): TestEvidence => ({ id, before: "failed", after: "passed" });
const stillFailing = (id: string): TestEvidence => ({ id, before: "failed", after: "failed" });
const steady = (id: string): TestEvidence => ({ id, before: "passed", after: "passed" });
const broken = (id: string): TestEvidence => ({ id, before: "passed", after: "failed" });

function group(
  key: string,
  votes: number,
  diffSize: number,
  evidence: Partial<GroupEvidence>,
): GroupEvidence {
  return { key, votes, diffSize, reproduction: [], regression: [], ...evidence };
}

const right = group("right", 3, 2, {
  reproduction: KEPT.map(fixed),
  regression: [steady("tests/test_stats.py::test_sum"), steady("tests/test_stats.py::test_clamp")],
});
const wrongStillFailing = group("wrong", 1, 2, {
  reproduction: [fixed(KEPT[0] ?? ""), stillFailing(KEPT[1] ?? "")],
  regression: [steady("tests/test_stats.py::test_sum")],
});
const wrongBreaksRegression = group("breaks", 4, 1, {
  reproduction: KEPT.map(fixed),
  regression: [broken("tests/test_stats.py::test_sum")],
});
const policy = { keptReproductionIds: KEPT };

describe("decide", () => {
  it("picks the validated group over larger groups that are not validated", () => {
    const decision = decide([wrongBreaksRegression, wrongStillFailing, right], policy);
    expect(decision.decision).toBe("patch");
    expect(decision.chosen).toBe("right");
    expect(decision.reason).toContain("turns all 2 reproduction tests from failing to passing");
    expect(decision.verdicts.map((v) => [v.key, v.validated])).toEqual([
      ["breaks", false],
      ["wrong", false],
      ["right", true],
    ]);
  });

  it("ranks validated groups by votes, then by the smaller diff", () => {
    const evidence = { reproduction: KEPT.map(fixed), regression: [steady("r")] };
    const big = group("big", 3, 9, evidence);
    const small = group("small", 3, 4, evidence);
    const popular = group("popular", 5, 20, evidence);
    expect(decide([big, small], policy).chosen).toBe("small");
    expect(decide([big, small, popular], policy).chosen).toBe("popular");
  });

  it("abstains when only wrong groups exist, and says why for each", () => {
    const decision = decide([wrongStillFailing, wrongBreaksRegression], policy);
    expect(decision.decision).toBe("abstain");
    expect(decision.chosen).toBeUndefined();
    expect(decision.suggestion).toBeUndefined();
    expect(decision.reason).toContain(
      "wrong reproduction not fixed (tests/test_repro.py::test_mean_of_one: failed→failed)",
    );
    expect(decision.reason).toContain("breaks breaks tests/test_stats.py::test_sum (→failed)");
  });

  it("never patches without fail→pass evidence for every kept reproduction test", () => {
    const cases: GroupEvidence[] = [
      group("no-evidence", 9, 1, { regression: [steady("r")] }),
      group("one-missing", 9, 1, { reproduction: [fixed(KEPT[0] ?? "")] }),
      group("passed-before", 9, 1, {
        reproduction: KEPT.map((id): TestEvidence => ({ id, before: "passed", after: "passed" })),
      }),
      group("flaky-before", 9, 1, {
        reproduction: KEPT.map((id): TestEvidence => ({ id, before: "flaky", after: "passed" })),
      }),
      group("skipped-after", 9, 1, {
        reproduction: KEPT.map((id): TestEvidence => ({ id, before: "failed", after: "skipped" })),
      }),
      group("missing-after", 9, 1, {
        reproduction: KEPT.map((id): TestEvidence => ({ id, before: "error", after: "missing" })),
      }),
    ];
    for (const only of cases) {
      const decision = decide([only], policy);
      expect(decision.decision, only.key).toBe("abstain");
      expect(decision.chosen, only.key).toBeUndefined();
    }
  });

  it("counts a regression test that vanished after the patch as broken, and ignores flaky ones", () => {
    const vanished = group("vanished", 1, 1, {
      reproduction: KEPT.map(fixed),
      regression: [{ id: "r", before: "passed", after: "missing" }],
    });
    expect(decide([vanished], policy).decision).toBe("abstain");
    const flaky = group("flaky", 1, 1, {
      reproduction: KEPT.map(fixed),
      regression: [{ id: "r", before: "flaky", after: "failed" }],
    });
    // a flaky test is no evidence either way: with nothing else, no regression test could run
    expect(decide([flaky], policy)).toMatchObject({ decision: "abstain", suggestion: "flaky" });
    expect(decide([flaky], { ...policy, allowPatchWithoutRegressionTests: true }).chosen).toBe("flaky");
  });

  it("abstains with no reproduction test and offers the best regression-passing group as a suggestion", () => {
    const groups = [wrongBreaksRegression, right, wrongStillFailing];
    const decision = decide(groups, { keptReproductionIds: [] });
    expect(decision.decision).toBe("abstain");
    expect(decision.chosen).toBeUndefined();
    expect(decision.suggestion).toBe("right");
    expect(decision.reason).toContain("no reproduction test could be established");
  });

  it("abstains with no candidates at all", () => {
    const decision = decide([], policy);
    expect(decision).toMatchObject({ decision: "abstain", reason: "no usable candidate patch to validate" });
  });

  it("judges no group validated when there is no kept reproduction test to prove it", () => {
    expect(judgeGroup(right, []).validated).toBe(false);
    expect(judgeGroup(right, KEPT)).toMatchObject({ validated: true, fixed: KEPT, notFixed: [], broken: [] });
  });
});

describe("decide with no regression evidence", () => {
  const fixesOnly = group("fixes", 2, 1, { reproduction: KEPT.map(fixed) });
  const why = "the test discovery found no test file";

  it("abstains by default and offers the candidate that fixes the reproduction tests as a suggestion", () => {
    const decision = decide([fixesOnly], { ...policy, whyNoRegressionTests: why });
    expect(decision).toMatchObject({
      decision: "abstain",
      suggestion: "fixes",
      suggestionBasis: "no-regression",
    });
    expect(decision.chosen).toBeUndefined();
    expect(decision.reason).toBe(
      `no regression test could run (${why}); a candidate that fixes the reproduction tests is offered ` +
        "as a suggestion only. Set validation.allowPatchWithoutRegressionTests to accept such patches.",
    );
  });

  it("proposes the patch when the repository opted in, and says what it rests on", () => {
    const decision = decide([fixesOnly], {
      ...policy,
      whyNoRegressionTests: why,
      allowPatchWithoutRegressionTests: true,
    });
    expect(decision).toMatchObject({ decision: "patch", chosen: "fixes" });
    expect(decision.reason).toContain(`no regression test could run (${why})`);
    expect(decision.reason).toContain("accepted because validation.allowPatchWithoutRegressionTests is set");
  });

  it("counts regression tests that ran but never passed on the unpatched code as no evidence", () => {
    const failingSuite = group("fixes", 2, 1, {
      reproduction: KEPT.map(fixed),
      regression: [stillFailing("command")],
    });
    const decision = decide([failingSuite], policy);
    expect(decision.decision).toBe("abstain");
    expect(decision.reason).toContain(
      "no regression test could run (none of the 1 regression test run passed steadily on the unpatched code)",
    );
  });

  it("says 'breaks no regression test' only when one ran", () => {
    const texts = [
      decide([fixesOnly], policy).reason,
      decide([fixesOnly], { ...policy, allowPatchWithoutRegressionTests: true }).reason,
      decide([group("s", 1, 1, {})], { keptReproductionIds: [] }).reason,
    ];
    for (const text of texts) expect(text).not.toContain("breaks no regression test");
    expect(decide([right], policy).reason).toContain(
      "breaks no regression test (2 that passed before still pass)",
    );
  });
});
