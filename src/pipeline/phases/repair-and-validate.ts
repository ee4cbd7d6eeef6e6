import { passesThroughLink } from "../../repair/links.ts";
import { indexRepoSource } from "../../repair/new-file.ts";
import { candidatePathGuard, type PathGuard } from "../../repair/protected.ts";
import { type RepairResult, repair } from "../../repair/repair.ts";
import { filesLoadedByTests } from "../../repair/test-loaded-files.ts";
import { listRepoFiles } from "../../testing/discover.ts";
import { validateGroups } from "../../validate/validate.ts";
import { refinementFeedback } from "../refinement.ts";
import type { RunTrace } from "../report.ts";
import type { EstablishedTests } from "./establish-tests.ts";
import type { Located } from "./localize-issue.ts";
import type { RunContext } from "./run-context.ts";

/**
 * Sample candidates, test each group once, and — while none is validated, a reproduction test exists
 * and the budget allows — refine with what the tests said. The decision lands in the trace.
 */
export async function repairAndValidate(
  run: RunContext,
  located: Located,
  tests: EstablishedTests,
): Promise<void> {
  const { input, services, trace } = run;
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
  const sample = async (round: number, feedback?: { attempt: string; output: string }) => {
    run.progress("repair", "running", round > 0 ? { round: round + 1 } : {});
    const result = await repair(
      { ...repairInput, round, ...(feedback ? { feedback } : {}) },
      { llm: services.llm, ...run.abort },
    );
    record(trace, result);
    run.progress("repair", "done", { candidates: trace.answers.length, groups: trace.groups.length });
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
    const feedback = refinementFeedback(trace.groups, result.evidence, result.reports);
    if (!feedback) break;
    sampled = await sample(round, feedback);
    result = await validateGroups(
      services.sandbox,
      { ...validation, groups: sampled.pool.groups, earlier: result.evidence },
      services.signal,
    );
  }
  trace.evidence = result.evidence;
  trace.decision = result.decision;
  const validated = result.decision.verdicts.filter((verdict) => verdict.validated).length;
  run.progress("validate", "done", { "groups tested": result.evidence.length, validated });
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

function record(trace: RunTrace, result: RepairResult): void {
  trace.answers.push(...result.answers);
  trace.candidates.push(...result.pool.candidates);
  for (const group of result.pool.groups) {
    const known = trace.groups.find((existing) => existing.key === group.key);
    if (!known) trace.groups.push(group);
    else {
      // A refinement sample equal to an earlier group is one more vote for it, not a new group.
      known.votes += group.votes;
      known.members.push(...group.members);
    }
  }
  const round = result.answers[0]?.round ?? 0;
  if (round > 0)
    trace.notes.push(
      `refinement round ${round}: ${result.answers.length} candidates, ${result.pool.groups.length} groups`,
    );
  trace.notes.push(...result.notes);
  if (result.budgetExhausted)
    trace.stopped = `the run's budget ran out during repair: ${result.budgetExhausted}`;
}
