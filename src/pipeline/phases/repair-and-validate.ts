import type { Candidate } from "../../repair/candidate.ts";
import type { CandidateGroup } from "../../repair/group.ts";
import { passesThroughLink } from "../../repair/links.ts";
import { indexRepoSource } from "../../repair/new-file.ts";
import { candidatePathGuard, type PathGuard } from "../../repair/protected.ts";
import { type RepairResult, repair, type SampledAnswer } from "../../repair/repair.ts";
import { filesLoadedByTests } from "../../repair/test-loaded-files.ts";
import { listRepoFiles } from "../../repo-tests/discover.ts";
import type { Decision } from "../../validate/decide.ts";
import type { GroupEvidence } from "../../validate/evidence.ts";
import { validateGroups } from "../../validate/validate.ts";
import { refinementFeedback } from "../refinement.ts";
import type { EstablishedTests } from "./establish-tests.ts";
import type { Located } from "./localize-issue.ts";
import type { RunContext } from "./run-context.ts";

/** Every candidate sampled (all rounds), how they grouped, what the tests said, and the decision. */
export type RepairOutcome = {
  answers: SampledAnswer[];
  candidates: Candidate[];
  groups: CandidateGroup[];
  evidence: GroupEvidence[];
  /** Absent in the partial outcome reported before validation ended. */
  decision?: Decision;
  notes: string[];
  /** Set when the budget ran out while sampling (validation still judges what was sampled). */
  stopped?: string;
};

const NOTHING_SAMPLED: RepairOutcome = { answers: [], candidates: [], groups: [], evidence: [], notes: [] };

/**
 * Sample candidates, test each group once, and — while none is validated, a reproduction test exists
 * and the budget allows — refine with what the tests said. `partial` receives the outcome so far
 * after each sampling round, for the report of a run that ends during validation.
 */
export async function repairAndValidate(
  run: RunContext,
  located: Located,
  tests: EstablishedTests,
  partial: (soFar: RepairOutcome) => void = () => {},
): Promise<RepairOutcome> {
  const { input, services } = run;
  const { env, screened } = tests;
  const mayNotTouch = candidateMayNotTouch(input.repo.root, input.config.protectedPaths, {
    isTest: env.detection.isTest,
    testCommand: env.detection.runner.plan(null).command,
  });
  const repairInput = {
    issueText: run.issueText,
    root: input.repo.root,
    windowSets: located.windowSets,
    budget: input.config.repair,
    registry: run.registry,
    isProtected: mayNotTouch,
  };
  let outcome = NOTHING_SAMPLED;
  const sample = async (round: number, feedback?: { attempt: string; output: string }) => {
    run.progress("repair", "running", round > 0 ? { round: round + 1 } : {});
    const result = await repair(
      { ...repairInput, round, ...(feedback ? { feedback } : {}) },
      { llm: services.llm, ...run.abort },
    );
    outcome = withRound(outcome, result);
    partial(outcome);
    run.progress("repair", "done", { candidates: outcome.answers.length, groups: outcome.groups.length });
    return result;
  };
  const validation = {
    reproduction: screened.reproduction,
    regression: screened.regression,
    image: env.image,
    runner: env.detection.runner,
    limits: env.limits,
    mayNotTouch,
    allowPatchWithoutRegressionTests: input.config.validation.allowPatchWithoutRegressionTests,
  };

  let sampled = await sample(0);
  run.progress("validate", "running");
  let result = await validateGroups(
    services.sandbox,
    { ...validation, groups: sampled.pool.groups },
    services.signal,
  );
  for (let round = 1; round <= input.config.repair.refinementRounds; round++) {
    if (
      result.decision.decision === "patch" ||
      screened.reproduction.ids.length === 0 ||
      sampled.budgetExhausted
    )
      break;
    const feedback = refinementFeedback(outcome.groups, result.evidence, result.reports);
    if (!feedback) break;
    sampled = await sample(round, feedback);
    result = await validateGroups(
      services.sandbox,
      { ...validation, groups: sampled.pool.groups, earlier: result.evidence },
      services.signal,
    );
  }
  const validated = result.decision.verdicts.filter((verdict) => verdict.validated).length;
  run.progress("validate", "done", { "groups tested": result.evidence.length, validated });
  return { ...outcome, evidence: result.evidence, decision: result.decision };
}

/**
 * What a candidate may not write: the built-in and configured protected paths, the repository's tests
 * (`isTest`, from test discovery), files the test command loads, paths through a symbolic link, and
 * new files that are not source beside existing source.
 */
export function candidateMayNotTouch(
  root: string,
  globs: readonly string[],
  tests: { isTest: (path: string) => boolean; testCommand: string },
): PathGuard {
  const files = listRepoFiles(root);
  return candidatePathGuard({
    configured: globs,
    isTest: tests.isTest,
    repo: indexRepoSource(files),
    loadedByTests: filesLoadedByTests(root, tests.testCommand, files),
    throughLink: (path) => passesThroughLink(root, path),
  });
}

/** The outcome with one more sampling round: a sample equal to an earlier group is one more vote for it. */
function withRound(outcome: RepairOutcome, result: RepairResult): RepairOutcome {
  const groups = outcome.groups.map((group) => {
    const again = result.pool.groups.find((g) => g.key === group.key);
    return again
      ? { ...group, votes: group.votes + again.votes, members: [...group.members, ...again.members] }
      : group;
  });
  const known = new Set(groups.map((group) => group.key));
  const round = result.answers[0]?.round ?? 0;
  const refinement =
    round > 0
      ? [
          `refinement round ${round}: ${result.answers.length} candidates, ${result.pool.groups.length} groups`,
        ]
      : [];
  return {
    ...outcome,
    answers: [...outcome.answers, ...result.answers],
    candidates: [...outcome.candidates, ...result.pool.candidates],
    groups: [...groups, ...result.pool.groups.filter((group) => !known.has(group.key))],
    notes: [...outcome.notes, ...refinement, ...result.notes],
    ...(result.budgetExhausted
      ? { stopped: `the run's budget ran out during repair: ${result.budgetExhausted}` }
      : {}),
  };
}
