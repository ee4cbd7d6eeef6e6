import { buildCodeIndex } from "../code-index/build.ts";
import { LanguageRegistry } from "../code-index/languages.ts";
import { BudgetExceededError } from "../llm/errors.ts";
import { localize } from "../localize/localize.ts";
import { contextWindows } from "../localize/windows.ts";
import { renderExcerpts } from "../repair/excerpts.ts";
import { protectedPathMatcher } from "../repair/protected.ts";
import { repair } from "../repair/repair.ts";
import { reproduce } from "../reproduce/reproduce.ts";
import { NoTestsError } from "../testing/test-repo.ts";
import { validateGroups } from "../validate/validate.ts";
import { progressReporter } from "./progress.ts";
import { refinementFeedback } from "./refinement.ts";
import { buildFixReport, emptyTrace, type RunTrace } from "./report.ts";
import { prepareTestEnvironment, screenTests } from "./test-environment.ts";
import type { FixInput, FixReport, FixServices } from "./types.ts";

/**
 * The whole run: localize → reproduce → repair → validate → decide. Every step is checked by
 * execution; a patch comes out only with fail-before/pass-after evidence. Running out of budget or
 * finding no tests ends the run with what was done and why, never with a patch it cannot prove.
 */
export async function runFix(input: FixInput, services: FixServices): Promise<FixReport> {
  const started = performance.now();
  const trace = emptyTrace();
  try {
    await runStages(input, services, trace);
  } catch (error) {
    if (error instanceof BudgetExceededError || error instanceof NoTestsError) trace.stopped = error.message;
    else throw error;
  }
  return buildFixReport(input, trace, services.ledger.report(), (performance.now() - started) / 1000);
}

async function runStages(input: FixInput, services: FixServices, trace: RunTrace): Promise<void> {
  const { repo, config } = input;
  const { llm, sandbox, signal } = services;
  const progress = progressReporter(services.ledger, services.onProgress);
  const registry = new LanguageRegistry();
  const issueText = [input.issue.title?.trim(), input.issue.body.trim()].filter(Boolean).join("\n\n");

  progress("localize", "running");
  const index = await buildCodeIndex({
    root: repo.root,
    registry,
    identity: `${repo.key}@${repo.commit}`,
    ...(services.cacheRoot ? { cacheRoot: services.cacheRoot } : {}),
  });
  const localization = await localize({
    issue: input.issue,
    index,
    budget: config.localization,
    llm,
    ...(signal ? { signal } : {}),
  });
  trace.localization = localization;
  progress("localize", "done", { files: localization.files.length, elements: localization.elements.length });
  const windowSets = localization.locationSets.map((set) =>
    contextWindows(index, set, config.localization.contextLines),
  );
  if (windowSets.length === 0) {
    trace.stopped = "localization found no code that the issue points to";
    return;
  }

  progress("reproduce", "running");
  const localizedFiles = localization.files.map((file) => file.path);
  const env = await prepareTestEnvironment(repo, config, localizedFiles, sandbox);
  trace.framework = env.detection.framework;
  const code = renderExcerpts(
    localization.windows,
    readFiles(index, localization.windows),
    config.reproduction.maxPromptTokens / 2,
  ).text;
  const reproduction = await reproduce(
    {
      issueText,
      root: repo.root,
      code,
      detection: env.detection,
      image: env.image,
      limits: env.limits,
      budget: config.reproduction,
      relatedTests: env.regression,
      registry,
    },
    { llm, sandbox, ...(signal ? { signal } : {}) },
  );
  const screened = await screenTests(env, reproduction.kept, sandbox);
  trace.reproduction = [...reproduction.rows, ...screened.dropped];
  trace.keptIds = screened.keptIds;
  trace.notes.push(...reproduction.notes);
  progress("reproduce", "done", {
    "tests kept": screened.keptIds.length,
    "regression files": env.regression.length,
  });
  if (screened.keptIds.length === 0 && config.reproduction.whenMissing === "stop") {
    trace.stopped =
      "no reproduction test could be established (reproduction.whenMissing: stop), so no repair was attempted";
    return;
  }

  const repairInput = {
    issueText,
    root: repo.root,
    windowSets,
    budget: config.repair,
    registry,
    isProtected: protectedPathMatcher(config.protectedPaths),
  };
  progress("repair", "running");
  const first = await repair({ ...repairInput, round: 0 }, { llm, ...(signal ? { signal } : {}) });
  record(trace, first);
  progress("repair", "done", { candidates: first.answers.length, groups: first.pool.groups.length });

  progress("validate", "running");
  const validation = { ...screened, image: env.image, runner: env.detection.runner, limits: env.limits };
  let result = await validateGroups(sandbox, { ...validation, groups: first.pool.groups }, signal);
  for (let round = 1; round <= config.repair.refinementRounds && !first.budgetExhausted; round++) {
    if (result.decision.decision === "patch" || screened.keptIds.length === 0) break;
    const feedback = refinementFeedback(trace.groups, result.evidence, result.reports);
    if (!feedback) break;
    progress("repair", "running", { round: round + 1 });
    const refined = await repair({ ...repairInput, round, feedback }, { llm, ...(signal ? { signal } : {}) });
    record(trace, refined);
    progress("repair", "done", { candidates: trace.answers.length, groups: trace.groups.length });
    result = await validateGroups(
      sandbox,
      { ...validation, groups: refined.pool.groups, earlier: result.evidence },
      signal,
    );
    if (refined.budgetExhausted) break;
  }
  trace.evidence = result.evidence;
  trace.decision = result.decision;
  const validated = result.decision.verdicts.filter((verdict) => verdict.validated).length;
  progress("validate", "done", { "groups tested": result.evidence.length, validated });
}

function record(trace: RunTrace, result: Awaited<ReturnType<typeof repair>>): void {
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
  if (result.answers[0] && result.answers[0].round > 0) {
    trace.notes.push(
      `refinement round ${result.answers[0].round}: ${result.answers.length} candidates, ${result.pool.groups.length} groups`,
    );
  }
  trace.notes.push(...result.notes);
  if (result.budgetExhausted)
    trace.stopped = `the run's budget ran out during repair: ${result.budgetExhausted}`;
}

function readFiles(
  index: { read(path: string): string | undefined },
  windows: readonly { path: string }[],
): Map<string, string> {
  const files = new Map<string, string>();
  for (const { path } of windows) {
    const text = index.read(path);
    if (text !== undefined) files.set(path, text);
  }
  return files;
}
